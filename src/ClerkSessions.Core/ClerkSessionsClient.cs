using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClerkSessions.Core.Http;
using ClerkSessions.Core.Json;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core;

/// <summary>
/// Every operation of Clerk's Sessions API. One instance is one connection: build it once, use it for many calls,
/// dispose it when done. Every call goes through <see cref="SendAsync{T}"/>: validation, one HTTP pipeline, one way
/// of reading answers and failures.
/// </summary>
public sealed class ClerkSessionsClient : IDisposable
{
    private readonly ClerkHttpPipeline _pipeline;
    private readonly Uri _baseUrl;

    /// <param name="secretKey">Used for every request; the caller keeps ownership and must keep it alive while the client is.</param>
    public ClerkSessionsClient(ClerkSecretKey secretKey, ClerkClientOptions? options = null)
    {
        if (secretKey is null)
        {
            throw new ArgumentNullException(nameof(secretKey));
        }

        Options = (options ?? new ClerkClientOptions()).Clone();
        _baseUrl = Options.Validate();
        _pipeline = new ClerkHttpPipeline(secretKey, Options, _baseUrl);
    }

    /// <summary>A copy of the options the client was built with; changing it changes nothing.</summary>
    public ClerkClientOptions Options { get; }

    public Uri BaseUrl => _baseUrl;

    /// <summary>The pace of every request this client sends (<see cref="ClerkClientOptions.RateLimit"/>, or Clerk's limit for the key).</summary>
    public ClerkRateLimit RateLimit => _pipeline.Gate.Limit;

    /// <summary><c>GET /sessions</c>: one page.</summary>
    public Task<SessionListPage> GetSessionListPageAsync(SessionListQuery query, CancellationToken cancellationToken = default) =>
        GetPageAsync(query ?? throw new ArgumentNullException(nameof(query)), query.Offset, cancellationToken);

    /// <summary>
    /// <c>GET /sessions</c>, page after page on demand, holding one page at a time. Ends at a short page or, when
    /// Clerk reports it, once <c>total_count</c> sessions have been read. Stop enumerating and no further page is asked for.
    /// </summary>
    public async IAsyncEnumerable<SessionListPage> GetSessionPagesAsync(SessionListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        var offset = query.Offset;
        while (true)
        {
            var page = await GetPageAsync(query, offset, cancellationToken).ConfigureAwait(false);
            yield return page;

            offset += page.Sessions.Count;
            var shortPage = page.Sessions.Count < query.Limit;
            var allRead = page.TotalCount is long total && offset >= total;
            if (shortPage || allRead)
            {
                yield break;
            }
        }
    }

    /// <summary>The sessions of <see cref="GetSessionPagesAsync"/>, one by one.</summary>
    public async IAsyncEnumerable<ClerkSession> GetSessionsAsync(SessionListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in GetSessionPagesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            foreach (var session in page.Sessions)
            {
                yield return session;
            }
        }
    }

    /// <summary><c>GET /sessions/{session_id}</c>.</summary>
    public Task<ClerkSession> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        SendAsync(SessionCall(ClerkOperation.GetSession, HttpMethod.Get, sessionId, ""), ReadSession, "a session", cancellationToken);

    /// <summary><c>POST /sessions</c>. Clerk allows it on development instances only.</summary>
    public Task<ClerkSession> CreateSessionAsync(string userId, string? activeOrganizationId = null, CancellationToken cancellationToken = default)
    {
        var body = new CreateSessionBody
        {
            UserId = ClerkValidation.Identifier(userId, nameof(userId)),
            ActiveOrganizationId = ClerkValidation.OptionalIdentifier(activeOrganizationId, nameof(activeOrganizationId)),
        };
        var call = new ClerkRequest(ClerkOperation.CreateSession, HttpMethod.Post, "sessions")
        {
            JsonBody = JsonSerializer.SerializeToUtf8Bytes(body, ClerkJsonContext.Default.CreateSessionBody),
        };
        return SendAsync(call, ReadSession, "a session", cancellationToken);
    }

    /// <summary><c>POST /sessions/{session_id}/revoke</c>. Safe to repeat, so it is retried like a read.</summary>
    public Task<ClerkSession> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        SendAsync(SessionCall(ClerkOperation.RevokeSession, HttpMethod.Post, sessionId, "/revoke"), ReadSession, "a session", cancellationToken);

    /// <summary><c>POST /sessions/{session_id}/refresh</c>: a new token, or cookies when <see cref="SessionRefreshFormat.Cookie"/> is asked for.</summary>
    public Task<SessionRefreshResult> RefreshSessionAsync(string sessionId, SessionRefreshRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var body = new RefreshSessionBody
        {
            ExpiredToken = ClerkValidation.RequiredText(request.ExpiredToken, "ExpiredToken"),
            RefreshToken = ClerkValidation.RequiredText(request.RefreshToken, "RefreshToken"),
            RequestOrigin = ClerkValidation.RequiredText(request.RequestOrigin, "RequestOrigin"),
            RequestHeaders = request.RequestHeaders,
            Format = request.Format?.ToString().ToLowerInvariant(),
            RequestOriginatingIp = request.RequestOriginatingIp,
        };
        var call = SessionCall(ClerkOperation.RefreshSession, HttpMethod.Post, sessionId, "/refresh");
        call.JsonBody = JsonSerializer.SerializeToUtf8Bytes(body, ClerkJsonContext.Default.RefreshSessionBody);
        call.Secrets = new[] { body.ExpiredToken, body.RefreshToken };
        return SendAsync(call, body => ReadRefreshResult(body, sessionId), "a token or cookies", cancellationToken);
    }

    /// <summary>The lifetimes Clerk accepts for a session token, in seconds (30 s to ten years).</summary>
    public const int MinTokenLifetimeSeconds = 30;

    /// <inheritdoc cref="MinTokenLifetimeSeconds"/>
    public const int MaxTokenLifetimeSeconds = 315360000;

    /// <summary>
    /// <c>POST /sessions/{session_id}/tokens</c>, or <c>/tokens/{template_name}</c> when a JWT template is named.
    /// A body is sent only when <paramref name="expiresInSeconds"/> is (30 to 315360000).
    /// </summary>
    public Task<ClerkToken> CreateSessionTokenAsync(string sessionId, string? templateName = null, int? expiresInSeconds = null, CancellationToken cancellationToken = default)
    {
        var call = templateName is null
            ? SessionCall(ClerkOperation.CreateSessionToken, HttpMethod.Post, sessionId, "/tokens")
            : SessionCall(ClerkOperation.CreateSessionTokenFromTemplate, HttpMethod.Post, sessionId, "/tokens/" + ClerkPath.Segment(templateName, nameof(templateName)));
        if (expiresInSeconds is int lifetime)
        {
            ClerkValidation.Range(lifetime, MinTokenLifetimeSeconds, MaxTokenLifetimeSeconds, nameof(expiresInSeconds), "The token lifetime in seconds");
            call.JsonBody = JsonSerializer.SerializeToUtf8Bytes(new CreateTokenBody { ExpiresInSeconds = lifetime }, ClerkJsonContext.Default.CreateTokenBody);
        }

        return SendAsync(call, ReadToken, "a token", cancellationToken);
    }

    /// <summary>What Clerk did to <see cref="VerifySessionAsync"/>'s endpoint, and what replaces it.</summary>
    public const string VerifyEndpointRetired =
        "Clerk has retired POST /sessions/{session_id}/verify: it is gone from API versions 2025-04-10 and later. " +
        "Verify the session token locally against the instance's JSON Web Key Set (GET /jwks) instead.";

    /// <summary>
    /// The deprecated <c>POST /sessions/{session_id}/verify</c> (spec 2025-03-12). Current API versions answer 410,
    /// which becomes a <see cref="ClerkApiException"/> saying <see cref="VerifyEndpointRetired"/>.
    /// </summary>
    public Task<ClerkSession> VerifySessionAsync(string sessionId, string token, CancellationToken cancellationToken = default)
    {
        var call = SessionCall(ClerkOperation.VerifySession, HttpMethod.Post, sessionId, "/verify");
        var body = new VerifySessionBody { Token = ClerkValidation.RequiredText(token, nameof(token)) };
        call.JsonBody = JsonSerializer.SerializeToUtf8Bytes(body, ClerkJsonContext.Default.VerifySessionBody);
        call.Secrets = new[] { body.Token };
        return SendAsync(call, ReadSession, "a session", cancellationToken);
    }

    /// <summary><c>GET /jwks</c>: the keys session tokens are signed with.</summary>
    public Task<JsonWebKeySet> GetJwksAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new ClerkRequest(ClerkOperation.GetJwks, HttpMethod.Get, "jwks"), body => Deserialize(body, ClerkJsonContext.Default.JsonWebKeySet), "a JSON Web Key Set", cancellationToken);

    public void Dispose() => _pipeline.Dispose();

    private Task<SessionListPage> GetPageAsync(SessionListQuery query, long offset, CancellationToken cancellationToken)
    {
        var call = new ClerkRequest(ClerkOperation.GetSessionList, HttpMethod.Get, "sessions");
        call.Query.AddRange(query.ToQuery(offset));
        return SendAsync(call, ReadSessionListPage, "a list of sessions", cancellationToken);
    }

    private static ClerkRequest SessionCall(ClerkOperation operation, HttpMethod method, string sessionId, string rest) =>
        new(operation, method, "sessions/" + ClerkPath.Segment(sessionId, nameof(sessionId)) + rest, sessionId);

    private async Task<T> SendAsync<T>(ClerkRequest call, Func<byte[], T> read, string expected, CancellationToken cancellationToken)
    {
        using var message = call.ToHttpRequestMessage(_baseUrl);
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.Client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is HttpRequestException or TimeoutException or IOException or OperationCanceledException)
        {
            var timedOut = exception is TimeoutException;
            var what = timedOut ? exception.Message : "The connection to Clerk failed: " + Redaction.Text(exception.GetBaseException().Message);
            throw new ClerkConnectionException(
                $"{what} ({call.Method} {call.RelativePath}, {call.Attempts} attempt{(call.Attempts == 1 ? "" : "s")}).",
                call.Operation, call.SessionId, call.Attempts, timedOut, exception);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ClerkErrorReader.FromResponse(call, response, body);
            }

            try
            {
                return read(body);
            }
            catch (JsonException exception)
            {
                throw ClerkErrorReader.Unreadable(call, response, body, expected, exception);
            }
        }
    }

    private static T Deserialize<T>(byte[] body, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The body is JSON null.");

    private static ClerkSession ReadSession(byte[] body)
    {
        var session = Deserialize(body, ClerkJsonContext.Default.ClerkSession);
        return string.IsNullOrEmpty(session.Id) ? throw new JsonException("The session has no id.") : session;
    }

    private static ClerkToken ReadToken(byte[] body)
    {
        var token = Deserialize(body, ClerkJsonContext.Default.ClerkToken);
        return string.IsNullOrEmpty(token.Jwt) ? throw new JsonException("The token has no jwt.") : token;
    }

    private static SessionRefreshResult ReadRefreshResult(byte[] body, string sessionId)
    {
        if (Deserialize(body, ClerkJsonContext.Default.ObjectKind).Object != "cookies")
        {
            return new SessionRefreshResult(ReadToken(body));
        }

        var cookies = Deserialize(body, ClerkJsonContext.Default.ClerkCookiesBody);
        return new SessionRefreshResult(ClerkSessionCookies.FromDirectives(sessionId, cookies.Cookies));
    }

    /// <summary>Both shapes Clerk uses: a bare array, or <c>{data, total_count}</c> when <c>paginated=true</c>.</summary>
    private static SessionListPage ReadSessionListPage(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read())
        {
            throw new JsonException("The body is empty.");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return new SessionListPage(Deserialize(body, ClerkJsonContext.Default.ListClerkSession), totalCount: null);
        }

        var paginated = Deserialize(body, ClerkJsonContext.Default.PaginatedSessionList);
        var sessions = paginated.Data ?? throw new JsonException("The paginated list has no 'data' array.");
        return new SessionListPage(sessions, paginated.TotalCount);
    }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "ClerkSessionsClient {0}", _baseUrl);
}
