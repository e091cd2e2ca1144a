using ClerkSessions.Core;

namespace ClerkSessions.Tests.Core;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("http://api.clerk.com/v1")]
    [InlineData("http://10.0.0.5/v1")]
    [InlineData("ftp://api.clerk.com/v1")]
    public void Only_https_is_accepted_for_hosts_other_than_loopback(string url)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        var error = Assert.Throws<ArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { BaseUrl = new Uri(url) }));

        Assert.Contains("https", error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/v1", "http://127.0.0.1:5000/v1/")]
    [InlineData("http://localhost:5000/v1/", "http://localhost:5000/v1/")]
    [InlineData("http://[::1]:5000/v1", "http://[::1]:5000/v1/")]
    [InlineData("https://clerk.internal.example.com/v1", "https://clerk.internal.example.com/v1/")]
    public void Https_and_loopback_http_are_accepted_and_normalised_to_a_trailing_slash(string url, string expected)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);
        using var client = new ClerkSessionsClient(key, new ClerkClientOptions { BaseUrl = new Uri(url) });

        Assert.Equal(expected, client.BaseUrl.ToString());
    }

    [Fact]
    public void The_default_is_Clerks_production_API_and_the_current_version()
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);
        using var client = new ClerkSessionsClient(key);

        Assert.Equal("https://api.clerk.com/v1/", client.BaseUrl.ToString());
        Assert.Equal("2026-05-12", client.Options.ApiVersion);
    }

    [Theory]
    [InlineData("https://user:pass@api.clerk.com/v1")]
    [InlineData("https://api.clerk.com/v1?x=1")]
    public void Credentials_or_a_query_in_the_url_are_refused(string url)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        var error = Assert.Throws<ArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { BaseUrl = new Uri(url) }));

        Assert.DoesNotContain("pass", error.Message);
    }

    [Fact]
    public void Out_of_range_settings_are_refused()
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { MaxRetries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { AttemptTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { ApiVersion = " " }));
    }

    [Fact]
    public async Task The_configured_api_version_is_sent()
    {
        await using var harness = await Harness.StartAsync(options => options.ApiVersion = "2025-03-12");

        await harness.Client.GetSessionAsync(Harness.ActiveSession);

        Assert.Equal("2025-03-12", harness.SingleRequest().Headers["Clerk-API-Version"]);
    }

    [Fact]
    public void Changing_the_options_after_building_the_client_changes_nothing()
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);
        var options = new ClerkClientOptions();
        using var client = new ClerkSessionsClient(key, options);

        options.ApiVersion = "1999-01-01";

        Assert.Equal("2026-05-12", client.Options.ApiVersion);
    }
}
