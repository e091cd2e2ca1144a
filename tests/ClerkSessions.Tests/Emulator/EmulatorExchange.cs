using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>What a conformance case sends for its Authorization header.</summary>
internal enum CaseAuth
{
    /// <summary><c>Bearer</c> and the emulator's key.</summary>
    Key,

    /// <summary><c>Bearer</c> and a well-formed key of another instance.</summary>
    WrongKey,

    /// <summary>No Authorization header.</summary>
    None,

    /// <summary><c>Basic</c> credentials made of the right key.</summary>
    Basic,
}

/// <summary>One request a conformance case sends; <see cref="Target"/> is relative to the emulator's <c>/v1/</c>.</summary>
internal sealed record CaseRequest(HttpMethod Method, string Target, string? Body = null)
{
    public CaseAuth Auth { get; init; } = CaseAuth.Key;

    /// <summary>The Clerk-API-Version header; none when null.</summary>
    public string? ApiVersion { get; init; } = EmulatorHost.ApiVersion;

    public static CaseRequest Get(string target) => new(HttpMethod.Get, target);

    public static CaseRequest Post(string target, string? body = null) => new(HttpMethod.Post, target, body);
}

/// <summary>What a case arranged before its request, for its checks: the host it ran on and values it noted.</summary>
internal sealed class CaseContext
{
    public CaseContext(EmulatorHost host) => Host = host;

    public EmulatorHost Host { get; }

    public string User => Host.UserIds[0];

    public Dictionary<string, string> Noted { get; } = new(StringComparer.Ordinal);

    public Task<string> SessionAsync(string status = "active") => Host.SessionIdAsync(status);

    /// <summary>Lets one request through per hour and spends it, so the case's request is the one over the limit.</summary>
    public async Task SpendRateLimitAsync()
    {
        Host.Emulator.SetRateLimit(1, TimeSpan.FromHours(1));
        using var response = await Host.Http.GetAsync("sessions?user_id=" + User);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>
/// One answer of the emulator to provoke and check against the spec: the operation, the status (and error code) it
/// must answer, how to get there, and what else its body must show.
/// </summary>
internal sealed record EmulatorCase(string Name, string Operation, int Status, string? ErrorCode, Func<CaseContext, Task<CaseRequest>> Arrange)
{
    /// <summary>Runs on an emulator with a sk_live_ key.</summary>
    public bool Production { get; init; }

    /// <summary>Further checks of the answer's body beyond the schema.</summary>
    public Action<JsonElement, CaseContext>? Check { get; init; }

    public override string ToString() => Name;
}

/// <summary>A case's request as the emulator logged it, and its answer as HttpClient read it.</summary>
internal sealed record CaseExchange(CaseRequest Request, EmulatorRequest Logged, int Status, string? MediaType, string? RetryAfter, string BodyText, CaseContext Context)
{
    public bool Paginated => Logged.Query.Split('&').Contains("paginated=true");

    public JsonElement? Json
    {
        get
        {
            if (BodyText.Length == 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(BodyText);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The logged query as the name/value pairs the spec checks.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query => Logged.Query.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(part => part.Split('=', 2))
        .Select(pair => new KeyValuePair<string, string>(Unescape(pair[0]), pair.Length > 1 ? Unescape(pair[1]) : string.Empty))
        .ToList();

    public static async Task<CaseExchange> RunAsync(EmulatorCase @case, EmulatorHost host)
    {
        host.Emulator.Reset();
        host.Emulator.SetRateLimit(0, TimeSpan.FromSeconds(10));
        var context = new CaseContext(host);
        var request = await @case.Arrange(context);

        using var http = new HttpClient { BaseAddress = host.Emulator.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var message = new HttpRequestMessage(request.Method, request.Target);
        message.Headers.Authorization = request.Auth switch
        {
            CaseAuth.Key => new AuthenticationHeaderValue("Bearer", host.Key),
            CaseAuth.WrongKey => new AuthenticationHeaderValue("Bearer", "sk_test_" + new string('0', 40)),
            CaseAuth.Basic => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(host.Key + ":"))),
            _ => null,
        };
        if (request.ApiVersion is not null)
        {
            message.Headers.Add("Clerk-API-Version", request.ApiVersion);
        }

        if (request.Body is not null)
        {
            message.Content = EmulatorHost.JsonBody(request.Body);
        }

        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var logged = host.Emulator.GetRequests()[^1];
        return new CaseExchange(request, logged, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            response.Headers.TryGetValues("Retry-After", out var retryAfter) ? retryAfter.Single() : null, body, context);
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
