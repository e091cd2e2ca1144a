using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>The secret key and the Clerk-API-Version, checked as Clerk checks them, and the key never kept.</summary>
public sealed class KeyAndVersionTests : IDisposable
{
    private readonly EmulatorHost _host = EmulatorHost.Start();

    private string List => "sessions?user_id=" + _host.UserIds[0];

    private async Task<(HttpStatusCode Status, string? Code)> SendAsync(string target, string? authorization, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient { BaseAddress = _host.Emulator.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, EmulatorHost.ErrorCode(await EmulatorHost.ReadJsonAsync(response)));
    }

    [Fact]
    public async Task The_right_key_is_accepted_and_logged_as_accepted()
    {
        var (status, _) = await SendAsync(List, "Bearer " + _host.Key);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Assert.Single(_host.Emulator.GetRequests()).KeyAccepted);
    }

    [Theory]
    [InlineData("Bearer sk_test_notthisinstance0")]
    [InlineData("Bearer {key}x")]
    [InlineData("Bearer {prefix}")]
    public async Task A_wrong_key_is_refused_401_authentication_invalid(string authorization)
    {
        var key = _host.Key;
        var (status, code) = await SendAsync(List, authorization.Replace("{key}", key, StringComparison.Ordinal).Replace("{prefix}", key[..^1], StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_invalid", code);
        Assert.False(Assert.Single(_host.Emulator.GetRequests()).KeyAccepted);
    }

    [Fact]
    public async Task A_missing_Authorization_header_is_refused_401_authentication_invalid()
    {
        var (status, code) = await SendAsync(List, authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_invalid", code);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Token")]
    [InlineData("")]
    public async Task An_Authorization_header_that_is_not_Bearer_is_refused_401_authorization_header_format_invalid(string scheme)
    {
        var credentials = scheme == "Basic" ? Convert.ToBase64String(Encoding.UTF8.GetBytes(_host.Key + ":")) : _host.Key;

        var (status, code) = await SendAsync(List, (scheme.Length == 0 ? string.Empty : scheme + " ") + credentials);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authorization_header_format_invalid", code);
    }

    [Fact]
    public async Task A_rotated_secret_key_refuses_the_previous_key_from_the_next_request_and_accepts_the_new_one()
    {
        var previous = _host.Key;
        var (before, _) = await SendAsync(List, "Bearer " + previous);

        var rotated = EmulatorHost.Reveal(_host.Emulator.RotateSecretKey());
        var (withPrevious, code) = await SendAsync(List, "Bearer " + previous);
        var (withRotated, _) = await SendAsync(List, "Bearer " + rotated);
        _host.Emulator.Reset();
        var (afterReset, _) = await SendAsync(List, "Bearer " + rotated);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal((HttpStatusCode.Unauthorized, "authentication_invalid"), (withPrevious, code));
        Assert.Equal(HttpStatusCode.OK, withRotated);
        Assert.Equal(HttpStatusCode.OK, afterReset);
        Assert.NotEqual(previous, rotated);
        Assert.StartsWith("sk_test_", rotated, StringComparison.Ordinal);
        Assert.Equal(rotated, EmulatorHost.Reveal(_host.Emulator.SecretKey));
    }

    [Fact]
    public async Task The_request_log_never_holds_the_key_or_the_Authorization_header()
    {
        var key = _host.Key;
        await SendAsync(List, "Bearer " + key);
        await SendAsync("jwks", "Bearer " + key + "x");
        await SendAsync(List, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        _host.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status });
        await SendAsync(List, "Bearer " + key);

        var requests = _host.Emulator.GetRequests();
        var texts = requests.SelectMany(request => typeof(EmulatorRequest).GetProperties().Select(property => property.GetValue(request)?.ToString() ?? string.Empty).Append(request.ToString())).ToList();

        Assert.Equal(4, requests.Count);
        Assert.DoesNotContain(texts, text => text.Contains(key[8..], StringComparison.Ordinal));
        Assert.DoesNotContain(texts, text => text.Contains("Bearer", StringComparison.OrdinalIgnoreCase) || text.Contains("Basic", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(typeof(EmulatorRequest).GetProperties(), property => property.Name.Contains("Header", StringComparison.OrdinalIgnoreCase) || property.Name.Contains("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_key_is_checked_before_the_version()
    {
        var (status, code) = await SendAsync(List, "Bearer sk_test_wrong", ("Clerk-API-Version", "1999-01-01"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_invalid", code);
    }

    [Theory]
    [InlineData("1999-01-01")]
    [InlineData("2026-05-13")]
    [InlineData("latest")]
    public async Task An_unknown_Clerk_API_Version_is_refused_400_api_version_invalid_and_logged(string version)
    {
        var (status, code) = await SendAsync(List, "Bearer " + _host.Key, ("Clerk-API-Version", version));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("api_version_invalid", code);
        Assert.Equal(version, Assert.Single(_host.Emulator.GetRequests()).ApiVersion);
    }

    [Fact]
    public async Task Every_published_version_is_accepted_and_so_is_none()
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var version in ClerkEmulator.SupportedApiVersions)
        {
            statuses.Add((await SendAsync(List, "Bearer " + _host.Key, ("Clerk-API-Version", version))).Status);
        }

        statuses.Add((await SendAsync(List, "Bearer " + _host.Key)).Status);

        Assert.Contains("2026-05-12", ClerkEmulator.SupportedApiVersions);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Null(_host.Emulator.GetRequests()[^1].ApiVersion);
    }

    [Theory]
    [InlineData("2026-05-12", "2026-05-12")]
    [InlineData("2026-05-12", "2025-03-12")]
    public async Task The_version_in_both_the_header_and_the_query_is_refused_400_api_version_invalid(string header, string query)
    {
        var (status, code) = await SendAsync($"{List}&__clerk_api_version={query}", "Bearer " + _host.Key, ("Clerk-API-Version", header));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("api_version_invalid", code);
    }

    [Fact]
    public async Task The_version_as_a_query_parameter_alone_is_accepted_logged_and_not_taken_for_a_filter()
    {
        var (status, _) = await SendAsync($"{List}&__clerk_api_version=2025-03-12", "Bearer " + _host.Key);
        var (unknown, code) = await SendAsync($"{List}&__clerk_api_version=1999-01-01", "Bearer " + _host.Key);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2025-03-12", _host.Emulator.GetRequests()[0].ApiVersion);
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal("api_version_invalid", code);
    }

    [Fact]
    public async Task A_path_outside_the_Sessions_API_is_404_once_the_key_is_right()
    {
        var (withKey, code) = await SendAsync("users", "Bearer " + _host.Key);
        var (withoutKey, _) = await SendAsync("users", authorization: null);

        Assert.Equal(HttpStatusCode.NotFound, withKey);
        Assert.Equal("resource_not_found", code);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey);
        Assert.Null(_host.Emulator.GetRequests()[0].Operation);
    }

    [Fact]
    public async Task A_production_instance_takes_its_sk_live_key()
    {
        using var production = EmulatorHost.Start(options => options.Environment = ClerkEmulatorEnvironment.Production);
        using var http = new HttpClient { BaseAddress = production.Emulator.ApiUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", production.Key);

        using var accepted = await http.GetAsync("sessions?user_id=" + production.UserIds[0]);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _host.Key);
        using var otherInstance = await http.GetAsync("sessions?user_id=" + production.UserIds[0]);

        Assert.StartsWith("sk_live_", production.Key, StringComparison.Ordinal);
        Assert.Equal(ClerkEmulatorEnvironment.Production, production.Emulator.Environment);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherInstance.StatusCode);
    }

    public void Dispose() => _host.Dispose();
}
