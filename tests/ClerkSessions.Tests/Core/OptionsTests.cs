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

        var error = Assert.Throws<ClerkInvalidArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { BaseUrl = new Uri(url) }));

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
    [InlineData("https://user:hunter2@api.clerk.com/v1", "'https://api.clerk.com/v1'")]
    [InlineData("https://api.clerk.com/v1?token=hunter2", "'https://api.clerk.com/v1'")]
    [InlineData("https://api.clerk.com/v1#hunter2", "'https://api.clerk.com/v1'")]
    [InlineData("http://user:hunter2@127.0.0.1:5000/v1", "'http://127.0.0.1:5000/v1'")]
    [InlineData("http://user:hunter2@api.clerk.com/v1", "'http://api.clerk.com/v1'")]
    [InlineData("ftp://user:hunter2@api.clerk.com/v1", "'ftp:…'")]
    [InlineData("user:hunter2@api.clerk.com/v1", "'user:…'")]
    public void Credentials_a_query_or_a_fragment_in_the_url_are_refused_and_never_repeated(string url, string shown)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        var error = Assert.Throws<ClerkInvalidArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { BaseUrl = new Uri(url) }));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
        Assert.Equal("BaseUrl", error.ParamName);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("2026-13-45")]
    [InlineData("2026-02-30")]
    [InlineData("2026-5-12")]
    [InlineData("20260512")]
    [InlineData(" 2026-05-12")]
    [InlineData("2026-05-12\r\nX-Injected: 1")]
    [InlineData("")]
    [InlineData(null)]
    public void An_api_version_that_is_not_a_date_is_refused(string? version)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        var error = Assert.Throws<ClerkInvalidArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { ApiVersion = version! }));

        Assert.Equal("ApiVersion", error.ParamName);
        Assert.StartsWith("The API version must be a Clerk API version, a date such as '2026-05-12'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2021-02-05")]
    [InlineData("2025-04-10")]
    [InlineData("2030-01-01")]
    public void Any_dated_api_version_is_accepted(string version)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);
        using var client = new ClerkSessionsClient(key, new ClerkClientOptions { ApiVersion = version });

        Assert.Equal(version, client.Options.ApiVersion);
    }

    [Fact]
    public void Out_of_range_settings_are_refused()
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        Assert.Throws<ClerkInvalidArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { MaxRetries = -1 }));
        Assert.Throws<ClerkInvalidArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { AttemptTimeout = TimeSpan.Zero }));
        Assert.Throws<ClerkInvalidArgumentException>(() => new ClerkSessionsClient(key, new ClerkClientOptions { ApiVersion = " " }));
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
