using System.Globalization;
using System.Text.Json;
using ClerkSessions.Emulator.Http;
using ClerkSessions.Emulator.Tokens;

namespace ClerkSessions.Emulator.Api;

/// <summary>
/// The Sessions endpoints of Clerk's Backend API as the spec (2026-05-12; 2025-03-12 for verify) describes them,
/// answering from an <see cref="InstanceState"/>. Everything here runs after the key, the version and the rate limit
/// were checked.
/// </summary>
internal sealed class SessionsApi
{
    public const string Issuer = "https://emulator.clerk.accounts.dev";
    public const int DefaultTokenLifetimeSeconds = 60;

    /// <summary>The statuses <c>GET /sessions?status=</c> accepts (every status but pending).</summary>
    public static readonly IReadOnlyList<string> ListableStatuses = new[] { "abandoned", "active", "ended", "expired", "removed", "replaced", "revoked" };

    /// <summary>The JWT templates of the instance, and the claims each adds for a session's user.</summary>
    private static readonly Dictionary<string, Action<Utf8JsonWriter, EmulatedSession>> Templates = new(StringComparer.Ordinal)
    {
        ["hasura"] = (writer, session) =>
        {
            writer.WriteStartObject("https://hasura.io/jwt/claims");
            writer.WriteString("x-hasura-user-id", session.UserId);
            writer.WriteString("x-hasura-default-role", "user");
            writer.WriteStartArray("x-hasura-allowed-roles");
            writer.WriteStringValue("user");
            writer.WriteEndArray();
            writer.WriteEndObject();
        },
        ["supabase"] = (writer, session) =>
        {
            writer.WriteString("aud", "authenticated");
            writer.WriteString("role", "authenticated");
            writer.WriteString("email", session.UserId + "@example.com");
        },
    };

    private readonly InstanceState _state;
    private readonly SigningKeys _keys;
    private readonly bool _production;
    private readonly Func<DateTimeOffset> _clock;

    public SessionsApi(InstanceState state, SigningKeys keys, bool production, Func<DateTimeOffset> clock)
    {
        _state = state;
        _keys = keys;
        _production = production;
        _clock = clock;
    }

    public static IReadOnlyCollection<string> TemplateNames => Templates.Keys;

    private long NowMs => _clock().ToUnixTimeMilliseconds();

    public Answer Handle(Route route, IReadOnlyList<KeyValuePair<string, string>> query, byte[] body)
    {
        if (route.Operation == "GetJWKS")
        {
            return new Answer(200, _keys.JwksJson());
        }

        if (route.Operation == "VerifySession")
        {
            return Errors.Deprecated();
        }

        JsonElement json = default;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Errors.Error(422, "form_param_value_invalid", "is invalid", "The request body is not valid JSON.");
            }
        }

        lock (_state.Gate)
        {
            return route.Operation switch
            {
                "GetSessionList" => List(query),
                "createSession" => Create(json),
                "GetSession" => WithSession(route.SessionId!, session => Ok(session)),
                "RevokeSession" => WithSession(route.SessionId!, Revoke),
                "RefreshSession" => Refresh(route.SessionId!, json),
                _ => WithSession(route.SessionId!, session => Token(session, route.Template, json)),
            };
        }
    }

    /// <summary>What a browser signed in to <paramref name="sessionId"/> on <paramref name="origin"/> holds once its session token expired.</summary>
    public BrowserTokens BrowserTokens(string sessionId, string origin)
    {
        lock (_state.Gate)
        {
            var session = _state.Find(sessionId) ?? throw new ArgumentException($"The emulator has no session {sessionId}.", nameof(sessionId));
            var now = _clock().ToUnixTimeSeconds();
            var expired = SignToken(session, issuedAt: now - 70, DefaultTokenLifetimeSeconds, origin);
            return new BrowserTokens(session.Id, expired, session.RefreshToken, origin);
        }
    }

    private static Answer Ok(EmulatedSession session) => new(200, Json.Write(session.Write));

    private Answer WithSession(string sessionId, Func<EmulatedSession, Answer> then)
    {
        var session = _state.Find(sessionId);
        return session is null ? Errors.SessionNotFound(sessionId) : then(session);
    }

    private Answer List(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        string? Value(string name) => query.LastOrDefault(pair => pair.Key == name).Value;
        var userId = Value("user_id");
        var clientId = Value("client_id");
        var status = Value("status");
        if (string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(clientId))
        {
            return Errors.AtLeastOneOf("user_id, client_id");
        }

        if (status is not null && !ListableStatuses.Contains(status))
        {
            return Errors.InvalidParameter("status", $"{status} does not match one of the allowed values for parameter status");
        }

        var paginatedText = Value("paginated");
        if (paginatedText is not null && !bool.TryParse(paginatedText, out _))
        {
            return Errors.InvalidParameter("paginated", "paginated is invalid");
        }

        if (!TryInteger(Value("limit"), 10, 1, 500, out var limit))
        {
            return Errors.InvalidParameter("limit", "limit is invalid");
        }

        if (!TryInteger(Value("offset"), 0, 0, int.MaxValue, out var offset))
        {
            return Errors.InvalidParameter("offset", "offset is invalid");
        }

        var matching = _state.List(NullIfEmpty(userId), NullIfEmpty(clientId), status);
        var page = matching.Skip(offset).Take(limit).ToList();
        var paginated = paginatedText is not null && bool.Parse(paginatedText);
        return new Answer(200, Json.Write(writer =>
        {
            if (paginated)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("data");
            }
            else
            {
                writer.WriteStartArray();
            }

            foreach (var session in page)
            {
                session.Write(writer);
            }

            writer.WriteEndArray();
            if (paginated)
            {
                writer.WriteNumber("total_count", matching.Count);
                writer.WriteEndObject();
            }
        }));
    }

    private Answer Create(JsonElement body)
    {
        if (_production)
        {
            return Errors.ProductionOnly();
        }

        var userId = Json.String(body, "user_id");
        if (string.IsNullOrEmpty(userId))
        {
            return Errors.MissingParameter("user_id");
        }

        if (!_state.HasUser(userId!))
        {
            return Errors.UserNotFound(userId!);
        }

        var organizationId = Json.String(body, "active_organization_id");
        if (organizationId is not null && !_state.IsMember(userId!, organizationId))
        {
            return Errors.InvalidParameter("active_organization_id", "active_organization_id is invalid");
        }

        return Ok(_state.Create(userId!, organizationId, NowMs));
    }

    private Answer Revoke(EmulatedSession session)
    {
        // Clerk answers a finished session with the session as it is.
        if (session.Status is "active" or "pending")
        {
            session.Status = "revoked";
            session.UpdatedAt = NowMs;
        }

        return Ok(session);
    }

    private Answer Token(EmulatedSession session, string? template, JsonElement body)
    {
        Action<Utf8JsonWriter, EmulatedSession>? templateClaims = null;
        if (template is not null && !Templates.TryGetValue(template, out templateClaims))
        {
            return Errors.TemplateNotFound(template);
        }

        if (session.Status != "active")
        {
            return Errors.SessionNotFound(session.Id);
        }

        var lifetime = (long)DefaultTokenLifetimeSeconds;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("expires_in_seconds", out var expires) && expires.ValueKind != JsonValueKind.Null)
        {
            if (expires.ValueKind != JsonValueKind.Number || !expires.TryGetInt64(out lifetime) || lifetime < 30 || lifetime > 315360000)
            {
                return Errors.InvalidParameter("expires_in_seconds", "expires_in_seconds is invalid");
            }
        }

        return TokenAnswer(SignToken(session, _clock().ToUnixTimeSeconds(), lifetime, authorizedParty: null, templateClaims));
    }

    /// <summary>
    /// A JWT for <paramref name="session"/> as Clerk issues them: a session token (with <c>sid</c>), or a template's
    /// token (the template's claims instead of <c>sid</c>), valid from 10 s before it was issued.
    /// </summary>
    private string SignToken(EmulatedSession session, long issuedAt, long lifetime, string? authorizedParty, Action<Utf8JsonWriter, EmulatedSession>? templateClaims = null) =>
        _keys.Sign(writer =>
        {
            if (authorizedParty is not null)
            {
                writer.WriteString("azp", authorizedParty);
            }

            writer.WriteNumber("exp", issuedAt + lifetime);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteString("iss", Issuer);
            writer.WriteNumber("nbf", issuedAt - 10);
            if (templateClaims is null)
            {
                writer.WriteString("sid", session.Id);
            }
            else
            {
                templateClaims(writer, session);
            }

            writer.WriteString("sub", session.UserId);
        });

    private static Answer TokenAnswer(string jwt) => new(200, Json.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("object", "token");
        writer.WriteString("jwt", jwt);
        writer.WriteEndObject();
    }));

    /// <summary>Refreshes as Clerk's session_refresh does, refusing with the catalogue's 401s in the same cases.</summary>
    private Answer Refresh(string sessionId, JsonElement body)
    {
        var origin = Json.String(body, "request_origin");
        if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || originUri.Scheme is not ("http" or "https"))
        {
            return Errors.RefreshRefused("refresh_request_origin_invalid", "Request origin is invalid", "The request_origin parameter could not be parsed");
        }

        var format = Json.String(body, "format") ?? "token";
        if (format is not ("token" or "cookie"))
        {
            return Errors.Error(400, "form_param_value_invalid", "is invalid", $"{format} does not match one of the allowed values for parameter format", "format");
        }

        var expiredToken = Json.String(body, "expired_token");
        using var claims = _keys.ReadSigned(expiredToken);
        if (claims is null)
        {
            return Errors.RefreshRefused("expired_session_token_invalid", "Invalid expired_token param", "The session token provided could not be successfully verified");
        }

        var payload = claims.RootElement;
        if (Json.Int64(payload, "iat") is null)
        {
            return Errors.RefreshRefused("session_refresh_expired_session_token_missing_iat", "missing 'iat' claim", "No 'iat' claim present in the provided expired session token");
        }

        var sid = Json.String(payload, "sid");
        if (sid is null)
        {
            return Errors.RefreshRefused("expired_session_token_missing_sid", "missing 'sid' claim", "No 'sid' claim present in the provided expired session token");
        }

        if (sid != sessionId)
        {
            return Errors.RefreshRefused("refresh_sid_mismatch", "Session ID does not match the 'sid' claim", "The 'sid' claim of the provided expired session token does not match the session ID provided in the request path");
        }

        var session = _state.Find(sessionId);
        if (session is null)
        {
            return Errors.RefreshRefused("session_refresh_session_not_found", "Session not found", $"No session was found with id {sessionId}");
        }

        var azp = Json.String(payload, "azp");
        if (azp is null)
        {
            return Errors.RefreshRefused("expired_session_token_missing_azp", "missing 'azp' claim", "No 'azp' claim present in the provided expired session token");
        }

        if (!string.Equals(azp.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return Errors.RefreshRefused("refresh_request_origin_azp_mismatch", "Request origin does not match azp claim", "The request_origin parameter does not match the 'azp' claim of expired_token");
        }

        if (Json.String(body, "refresh_token") != session.RefreshToken)
        {
            return Errors.RefreshRefused("refresh_token_not_found", "Refresh token not found", "The provided refresh token was not found");
        }

        if (session.Status != "active")
        {
            return Errors.RefreshRefused("session_refresh_inactive_session", "session inactive", "The provided session is not active");
        }

        if (!_state.Consume(expiredToken!))
        {
            return Errors.RefreshRefused("session_refresh_expired_session_token_consumed", "expired session token consumed", "The provided expired session token was already consumed in a previous refresh request");
        }

        var now = _clock().ToUnixTimeSeconds();
        session.LastActiveAt = NowMs;
        var jwt = SignToken(session, now, DefaultTokenLifetimeSeconds, azp);
        if (format == "token")
        {
            return TokenAnswer(jwt);
        }

        return new Answer(200, Json.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "cookies");
            writer.WriteStartArray("cookies");
            writer.WriteStringValue($"__session={jwt}; Path=/; Secure; SameSite=Lax");
            writer.WriteStringValue($"__client_uat={now.ToString(CultureInfo.InvariantCulture)}; Path=/; Secure; SameSite=Lax");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
    }

    private static bool TryInteger(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
