using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>
/// An emulator started for one test (or one test class) and an HttpClient sending its secret key, with the few
/// look-ups tests need. The rate limit is off unless the test turns it on: only the rate limit tests count requests.
/// </summary>
internal sealed class EmulatorHost : IDisposable
{
    /// <summary>The version the current spec extract describes; sent as Clerk-API-Version unless a test says otherwise.</summary>
    public const string ApiVersion = "2026-05-12";

    private long _lastSetupRequest;

    private EmulatorHost(ClerkEmulator emulator)
    {
        Emulator = emulator;
        Key = Reveal(emulator.SecretKey);
        Http = NewClient(emulator, Key);
    }

    public ClerkEmulator Emulator { get; }

    /// <summary>The emulator's secret key in plain text.</summary>
    public string Key { get; }

    /// <summary>Sends <c>Authorization: Bearer {key}</c> and <c>Clerk-API-Version</c>; relative addresses resolve under <c>/v1/</c>.</summary>
    public HttpClient Http { get; }

    public IReadOnlyList<string> UserIds => Emulator.UserIds;

    /// <summary>What the emulator received since <see cref="EndSetup"/>: a test's requests without its set-up look-ups.</summary>
    public IReadOnlyList<EmulatorRequest> RequestsSinceSetup => Emulator.GetRequests().Where(request => request.Sequence > _lastSetupRequest).ToList();

    /// <summary>Marks the requests received so far as set-up, left out of <see cref="RequestsSinceSetup"/>.</summary>
    public void EndSetup() => _lastSetupRequest = Emulator.GetRequests().Select(request => request.Sequence).DefaultIfEmpty(0).Max();

    public static EmulatorHost Start(Action<ClerkEmulatorOptions>? configure = null)
    {
        var options = new ClerkEmulatorOptions { RateLimit = 0 };
        configure?.Invoke(options);
        return new EmulatorHost(ClerkEmulator.Start(options));
    }

    public static string Reveal(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var character in text)
        {
            secure.AppendChar(character);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>A client of its own with the key (no pooled connection: HttpClient retries a request a reused connection dropped).</summary>
    public HttpClient FreshClient() => NewClient(Emulator, Key);

    /// <summary>A client for the emulator that sends no Authorization header.</summary>
    public HttpClient Anonymous() => NewClient(Emulator, key: null);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> PostAsync(string target, string? json = null) => Http.PostAsync(target, json is null ? null : JsonBody(json));

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The status and JSON body of an answer the test expects to be JSON.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string target, string? json = null)
    {
        using var request = new HttpRequestMessage(method, target) { Content = json is null ? null : JsonBody(json) };
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string target) => SendJsonAsync(HttpMethod.Get, target);

    public Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string target, string? json = null) => SendJsonAsync(HttpMethod.Post, target, json);

    /// <summary>The first error's code of a ClerkErrors body.</summary>
    public static string? ErrorCode(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0
            ? errors[0].GetProperty("code").GetString()
            : null;

    /// <summary>A user's sessions as the emulator lists them (newest first).</summary>
    public async Task<List<JsonElement>> SessionsOfAsync(string userId)
    {
        var (status, body) = await GetJsonAsync($"sessions?user_id={Uri.EscapeDataString(userId)}&limit=500");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.EnumerateArray().ToList();
    }

    /// <summary>Every session of every seeded user, each user's newest first.</summary>
    public async Task<List<JsonElement>> AllSessionsAsync()
    {
        var all = new List<JsonElement>();
        foreach (var user in UserIds)
        {
            all.AddRange(await SessionsOfAsync(user));
        }

        return all;
    }

    /// <summary>The id of a seeded session with <paramref name="status"/> (the newest such of the first user that has one).</summary>
    public async Task<string> SessionIdAsync(string status = "active")
    {
        var session = (await AllSessionsAsync()).First(item => item.GetProperty("status").GetString() == status);
        return session.GetProperty("id").GetString()!;
    }

    /// <summary>A session token for <paramref name="sessionId"/> from <c>POST /sessions/{id}/tokens[/{template}]</c>.</summary>
    public async Task<string> SessionTokenAsync(string sessionId, string? template = null, string? json = null)
    {
        var (status, body) = await PostJsonAsync($"sessions/{sessionId}/tokens" + (template is null ? string.Empty : "/" + template), json);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("jwt").GetString()!;
    }

    /// <summary>The expired session token, refresh token and origin a browser signed in to <paramref name="sessionId"/> holds, in plain text.</summary>
    public (string ExpiredToken, string RefreshToken, string Origin) BrowserTokens(string sessionId, string origin = "https://app.example.com")
    {
        var tokens = Emulator.GetBrowserTokens(sessionId, origin);
        return (Reveal(tokens.ExpiredToken), Reveal(tokens.RefreshToken), tokens.RequestOrigin);
    }

    public static string RefreshBody(string expiredToken, string refreshToken, string origin, string? format = null) =>
        JsonSerializer.Serialize(format is null
            ? new Dictionary<string, string> { ["expired_token"] = expiredToken, ["refresh_token"] = refreshToken, ["request_origin"] = origin }
            : new Dictionary<string, string> { ["expired_token"] = expiredToken, ["refresh_token"] = refreshToken, ["request_origin"] = origin, ["format"] = format });

    /// <summary>The payload of a compact JWT, unverified.</summary>
    public static JsonElement Payload(string jwt) => Part(jwt, 1);

    public static JsonElement Header(string jwt) => Part(jwt, 0);

    public void Dispose()
    {
        Http.Dispose();
        Emulator.Dispose();
    }

    private static JsonElement Part(string jwt, int index)
    {
        var part = jwt.Split('.')[index].Replace('-', '+').Replace('_', '/');
        var bytes = Convert.FromBase64String(part + new string('=', (4 - (part.Length % 4)) % 4));
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    private static HttpClient NewClient(ClerkEmulator emulator, string? key)
    {
        var client = new HttpClient { BaseAddress = emulator.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        client.DefaultRequestHeaders.Add("Clerk-API-Version", ApiVersion);
        return client;
    }
}
