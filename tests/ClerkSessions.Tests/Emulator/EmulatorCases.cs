using System.Text.Json;
using ClerkSessions.Emulator.Api;
using static ClerkSessions.Tests.Emulator.CaseRequest;

namespace ClerkSessions.Tests.Emulator;

/// <summary>
/// Every kind of answer the emulator gives, per operation: each success shape and each error status it produces,
/// with the error code it must carry. <see cref="EmulatorConformanceTests"/> checks each against the spec.
/// </summary>
internal static class EmulatorCases
{
    private const string Unknown = "sess_2unknownsession0000000000";
    private const string Origin = "https://app.example.com";

    public static IReadOnlyList<EmulatorCase> All { get; } = Build().ToList();

    public static EmulatorCase Named(string name) => All.Single(item => item.Name == name);

    private static IEnumerable<EmulatorCase> Build()
    {
        foreach (var item in SessionList().Concat(CreateSession()).Concat(GetAndRevoke()).Concat(Refresh()).Concat(SessionTokens()).Concat(VerifyAndJwks()))
        {
            yield return item;
        }

        // Each operation answers the same way when the key, the version or the rate limit refuses it.
        foreach (var (operation, arrange) in OperationRequests())
        {
            yield return new EmulatorCase($"{operation}-401-key", operation, 401, "authentication_invalid", async context => (await arrange(context)) with { Auth = CaseAuth.WrongKey });
            yield return new EmulatorCase($"{operation}-400-version", operation, 400, "api_version_invalid", async context => (await arrange(context)) with { ApiVersion = "1999-01-01" });
            if (operation != "GetJWKS")
            {
                yield return new EmulatorCase($"{operation}-429", operation, 429, "too_many_requests", async context =>
                {
                    var request = await arrange(context);
                    await context.SpendRateLimitAsync();
                    return request;
                });
            }
        }
    }

    /// <summary>A request each operation would answer with success, for the refusals that come before the operation runs.</summary>
    private static IEnumerable<(string Operation, Func<CaseContext, Task<CaseRequest>> Arrange)> OperationRequests()
    {
        yield return ("GetSessionList", context => Task.FromResult(Get("sessions?user_id=" + context.User)));
        yield return ("createSession", context => Task.FromResult(Post("sessions", Json(new { user_id = context.User }))));
        yield return ("GetSession", async context => Get("sessions/" + await context.SessionAsync()));
        yield return ("RevokeSession", async context => Post($"sessions/{await context.SessionAsync()}/revoke"));
        yield return ("RefreshSession", async context =>
        {
            var session = await context.SessionAsync();
            var (expired, refresh, origin) = context.Host.BrowserTokens(session);
            return Post($"sessions/{session}/refresh", EmulatorHost.RefreshBody(expired, refresh, origin));
        });
        yield return ("CreateSessionToken", async context => Post($"sessions/{await context.SessionAsync()}/tokens"));
        yield return ("CreateSessionTokenFromTemplate", async context => Post($"sessions/{await context.SessionAsync()}/tokens/hasura"));
        yield return ("VerifySession", async context => Post($"sessions/{await context.SessionAsync()}/verify", "{}") with { ApiVersion = "2025-03-12" });
        yield return ("GetJWKS", _ => Task.FromResult(Get("jwks")));
    }

    private static IEnumerable<EmulatorCase> SessionList()
    {
        const string Operation = "GetSessionList";
        yield return new EmulatorCase($"{Operation}-200", Operation, 200, null, context => Task.FromResult(Get("sessions?user_id=" + context.User)))
        {
            Check = (body, context) =>
            {
                Assert.Equal(context.Host.Emulator.SessionsPerUser, body.GetArrayLength());
                Assert.All(body.EnumerateArray(), session => Assert.Equal(context.User, session.GetProperty("user_id").GetString()));
            },
        };
        yield return new EmulatorCase($"{Operation}-200-paginated", Operation, 200, null, context => Task.FromResult(Get($"sessions?user_id={context.User}&paginated=true")))
        {
            Check = (body, context) =>
            {
                Assert.Equal(context.Host.Emulator.SessionsPerUser, body.GetProperty("data").GetArrayLength());
                Assert.Equal(context.Host.Emulator.SessionsPerUser, body.GetProperty("total_count").GetInt32());
            },
        };
        yield return new EmulatorCase($"{Operation}-200-client", Operation, 200, null, async context =>
        {
            var client = (await context.Host.SessionsOfAsync(context.User))[0].GetProperty("client_id").GetString()!;
            context.Noted["client"] = client;
            return Get("sessions?client_id=" + client);
        })
        {
            Check = (body, context) =>
            {
                Assert.NotEqual(0, body.GetArrayLength());
                Assert.All(body.EnumerateArray(), session => Assert.Equal(context.Noted["client"], session.GetProperty("client_id").GetString()));
            },
        };
        yield return new EmulatorCase($"{Operation}-200-status", Operation, 200, null, context => Task.FromResult(Get($"sessions?user_id={context.User}&status=revoked")))
        {
            Check = (body, _) =>
            {
                Assert.NotEqual(0, body.GetArrayLength());
                Assert.All(body.EnumerateArray(), session => Assert.Equal("revoked", session.GetProperty("status").GetString()));
            },
        };
        yield return new EmulatorCase($"{Operation}-200-limit-offset", Operation, 200, null, async context =>
        {
            var all = await context.Host.SessionsOfAsync(context.User);
            context.Noted["second"] = all[1].GetProperty("id").GetString()!;
            context.Noted["third"] = all[2].GetProperty("id").GetString()!;
            return Get($"sessions?user_id={context.User}&paginated=true&limit=2&offset=1");
        })
        {
            Check = (body, context) =>
            {
                Assert.Equal(new[] { context.Noted["second"], context.Noted["third"] }, body.GetProperty("data").EnumerateArray().Select(session => session.GetProperty("id").GetString()));
                Assert.Equal(context.Host.Emulator.SessionsPerUser, body.GetProperty("total_count").GetInt32());
            },
        };
        yield return new EmulatorCase($"{Operation}-200-version-query", Operation, 200, null,
            context => Task.FromResult(Get($"sessions?user_id={context.User}&__clerk_api_version={EmulatorHost.ApiVersion}") with { ApiVersion = null }))
        {
            Check = (body, context) => Assert.Equal(context.Host.Emulator.SessionsPerUser, body.GetArrayLength()),
        };
        yield return new EmulatorCase($"{Operation}-400-version-twice", Operation, 400, "api_version_invalid",
            context => Task.FromResult(Get($"sessions?user_id={context.User}&__clerk_api_version={EmulatorHost.ApiVersion}")));
        yield return new EmulatorCase($"{Operation}-401-no-header", Operation, 401, "authentication_invalid", context => Task.FromResult(Get("sessions?user_id=" + context.User) with { Auth = CaseAuth.None }));
        yield return new EmulatorCase($"{Operation}-401-basic", Operation, 401, "authorization_header_format_invalid", context => Task.FromResult(Get("sessions?user_id=" + context.User) with { Auth = CaseAuth.Basic }));
        yield return new EmulatorCase($"{Operation}-422-no-filter", Operation, 422, "form_param_missing", _ => Task.FromResult(Get("sessions?status=active")));
        yield return new EmulatorCase($"{Operation}-422-limit", Operation, 422, "form_param_value_invalid", context => Task.FromResult(Get($"sessions?user_id={context.User}&limit=501")));
        yield return new EmulatorCase($"{Operation}-422-offset", Operation, 422, "form_param_value_invalid", context => Task.FromResult(Get($"sessions?user_id={context.User}&offset=-1")));
        yield return new EmulatorCase($"{Operation}-422-status", Operation, 422, "form_param_value_invalid", context => Task.FromResult(Get($"sessions?user_id={context.User}&status=pending")));
        yield return new EmulatorCase($"{Operation}-422-paginated", Operation, 422, "form_param_value_invalid", context => Task.FromResult(Get($"sessions?user_id={context.User}&paginated=yes")));
    }

    private static IEnumerable<EmulatorCase> CreateSession()
    {
        const string Operation = "createSession";
        yield return new EmulatorCase($"{Operation}-200", Operation, 200, null, context => Task.FromResult(Post("sessions", Json(new { user_id = context.User }))))
        {
            Check = (body, context) =>
            {
                Assert.Equal("active", body.GetProperty("status").GetString());
                Assert.Equal(context.User, body.GetProperty("user_id").GetString());
            },
        };
        yield return new EmulatorCase($"{Operation}-200-organization", Operation, 200, null, context =>
        {
            context.Noted["organization"] = ClerkIds.Derive("org", context.Host.Emulator.Seed, "org", 0);
            return Task.FromResult(Post("sessions", Json(new { user_id = context.User, active_organization_id = context.Noted["organization"] })));
        })
        {
            Check = (body, context) => Assert.Equal(context.Noted["organization"], body.GetProperty("last_active_organization_id").GetString()),
        };
        yield return new EmulatorCase($"{Operation}-403-production", Operation, 403, "authorization_invalid", context => Task.FromResult(Post("sessions", Json(new { user_id = context.User }))))
        {
            Production = true,
        };
        yield return new EmulatorCase($"{Operation}-404-user", Operation, 404, "resource_not_found", _ => Task.FromResult(Post("sessions", Json(new { user_id = "user_2unknownuser00000000000000" }))));
        yield return new EmulatorCase($"{Operation}-422-missing-user", Operation, 422, "form_param_missing", _ => Task.FromResult(Post("sessions", "{}")));
        yield return new EmulatorCase($"{Operation}-422-organization", Operation, 422, "form_param_value_invalid",
            context => Task.FromResult(Post("sessions", Json(new { user_id = context.User, active_organization_id = "org_2notamember000000000000000" }))));
        yield return new EmulatorCase($"{Operation}-422-not-json", Operation, 422, "form_param_value_invalid", context => Task.FromResult(Post("sessions", "{\"user_id\":\"" + context.User + "\"")));
    }

    private static IEnumerable<EmulatorCase> GetAndRevoke()
    {
        yield return new EmulatorCase("GetSession-200", "GetSession", 200, null, async context => Get("sessions/" + await context.SessionAsync()))
        {
            Check = (body, _) => Assert.Equal("active", body.GetProperty("status").GetString()),
        };
        yield return new EmulatorCase("GetSession-200-finished", "GetSession", 200, null, async context => Get("sessions/" + await context.SessionAsync("ended")))
        {
            Check = (body, _) => Assert.Equal("ended", body.GetProperty("status").GetString()),
        };
        yield return new EmulatorCase("GetSession-404", "GetSession", 404, "resource_not_found", _ => Task.FromResult(Get("sessions/" + Unknown)));

        yield return new EmulatorCase("RevokeSession-200-active", "RevokeSession", 200, null, async context => Post($"sessions/{await context.SessionAsync()}/revoke"))
        {
            Check = (body, _) => Assert.Equal("revoked", body.GetProperty("status").GetString()),
        };
        yield return new EmulatorCase("RevokeSession-200-finished", "RevokeSession", 200, null, async context =>
        {
            var session = (await context.Host.AllSessionsAsync()).First(item => item.GetProperty("status").GetString() == "expired");
            context.Noted["updated_at"] = session.GetProperty("updated_at").GetRawText();
            return Post($"sessions/{session.GetProperty("id").GetString()}/revoke");
        })
        {
            Check = (body, context) =>
            {
                Assert.Equal("expired", body.GetProperty("status").GetString());
                Assert.Equal(context.Noted["updated_at"], body.GetProperty("updated_at").GetRawText());
            },
        };
        yield return new EmulatorCase("RevokeSession-404", "RevokeSession", 404, "resource_not_found", _ => Task.FromResult(Post($"sessions/{Unknown}/revoke")));
    }

    private static IEnumerable<EmulatorCase> Refresh()
    {
        const string Operation = "RefreshSession";

        static Func<CaseContext, Task<CaseRequest>> WithBrowser(Func<CaseContext, string, (string Expired, string Refresh, string Origin), CaseRequest> build, string status = "active") =>
            async context =>
            {
                var session = await context.SessionAsync(status);
                return build(context, session, context.Host.BrowserTokens(session, Origin));
            };

        static CaseRequest RefreshOf(string session, string body) => Post($"sessions/{session}/refresh", body);

        yield return new EmulatorCase($"{Operation}-200-token", Operation, 200, null, WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh, tokens.Origin))))
        {
            Check = (body, _) => Assert.Equal(Origin, EmulatorHost.Payload(body.GetProperty("jwt").GetString()!).GetProperty("azp").GetString()),
        };
        yield return new EmulatorCase($"{Operation}-200-cookie", Operation, 200, null, WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh, tokens.Origin, "cookie"))))
        {
            Check = (body, _) =>
            {
                Assert.Equal("cookies", body.GetProperty("object").GetString());
                Assert.StartsWith("__session=", body.GetProperty("cookies")[0].GetString(), StringComparison.Ordinal);
            },
        };
        yield return new EmulatorCase($"{Operation}-400-format", Operation, 400, "form_param_value_invalid",
            WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh, tokens.Origin, "jwt"))));
        yield return new EmulatorCase($"{Operation}-401-origin-invalid", Operation, 401, "refresh_request_origin_invalid",
            WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh, "app.example.com"))));
        yield return new EmulatorCase($"{Operation}-401-token-invalid", Operation, 401, "expired_session_token_invalid",
            WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(TamperSignature(tokens.Expired), tokens.Refresh, tokens.Origin))));
        yield return new EmulatorCase($"{Operation}-401-missing-sid", Operation, 401, "expired_session_token_missing_sid", async context =>
        {
            var session = await context.SessionAsync();
            var template = await context.Host.SessionTokenAsync(session, "hasura");
            return RefreshOf(session, EmulatorHost.RefreshBody(template, context.Host.BrowserTokens(session).RefreshToken, Origin));
        });
        yield return new EmulatorCase($"{Operation}-401-sid-mismatch", Operation, 401, "refresh_sid_mismatch", async context =>
        {
            var sessions = (await context.Host.SessionsOfAsync(context.User)).Where(item => item.GetProperty("status").GetString() == "active").Select(item => item.GetProperty("id").GetString()!).ToList();
            var (expired, refresh, origin) = context.Host.BrowserTokens(sessions[0], Origin);
            return RefreshOf(sessions[1], EmulatorHost.RefreshBody(expired, refresh, origin));
        });
        yield return new EmulatorCase($"{Operation}-401-session-not-found", Operation, 401, "session_refresh_session_not_found", async context =>
        {
            // A token the instance signed for a session it no longer has: Reset forgets sessions but keeps the keys.
            var (_, created) = await context.Host.PostJsonAsync("sessions", Json(new { user_id = context.User }));
            var session = created.GetProperty("id").GetString()!;
            var token = await context.Host.SessionTokenAsync(session);
            context.Host.Emulator.Reset();
            return RefreshOf(session, EmulatorHost.RefreshBody(token, "rt_2whatever", Origin));
        });
        yield return new EmulatorCase($"{Operation}-401-missing-azp", Operation, 401, "expired_session_token_missing_azp", async context =>
        {
            var session = await context.SessionAsync();
            var token = await context.Host.SessionTokenAsync(session);
            return RefreshOf(session, EmulatorHost.RefreshBody(token, context.Host.BrowserTokens(session).RefreshToken, Origin));
        });
        yield return new EmulatorCase($"{Operation}-401-azp-mismatch", Operation, 401, "refresh_request_origin_azp_mismatch",
            WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh, "https://evil.example.net"))));
        yield return new EmulatorCase($"{Operation}-401-refresh-token-unknown", Operation, 401, "refresh_token_not_found",
            WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh + "x", tokens.Origin))));
        yield return new EmulatorCase($"{Operation}-401-inactive", Operation, 401, "session_refresh_inactive_session",
            WithBrowser((_, session, tokens) => RefreshOf(session, EmulatorHost.RefreshBody(tokens.Expired, tokens.Refresh, tokens.Origin)), status: "revoked"));
        yield return new EmulatorCase($"{Operation}-401-consumed", Operation, 401, "session_refresh_expired_session_token_consumed", async context =>
        {
            var session = await context.SessionAsync();
            var (expired, refresh, origin) = context.Host.BrowserTokens(session, Origin);
            var body = EmulatorHost.RefreshBody(expired, refresh, origin);
            var (first, _) = await context.Host.PostJsonAsync($"sessions/{session}/refresh", body);
            Assert.Equal(System.Net.HttpStatusCode.OK, first);
            return RefreshOf(session, body);
        });
        yield return new EmulatorCase($"{Operation}-422-not-json", Operation, 422, "form_param_value_invalid", async context => RefreshOf(await context.SessionAsync(), "{\"expired_token\":"));
    }

    private static IEnumerable<EmulatorCase> SessionTokens()
    {
        static Action<JsonElement, CaseContext> Lifetime(long seconds) => (body, _) =>
        {
            var payload = EmulatorHost.Payload(body.GetProperty("jwt").GetString()!);
            Assert.Equal(seconds, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        };

        const string Token = "CreateSessionToken";
        yield return new EmulatorCase($"{Token}-200", Token, 200, null, async context => Post($"sessions/{await context.SessionAsync()}/tokens")) { Check = Lifetime(60) };
        yield return new EmulatorCase($"{Token}-200-expires", Token, 200, null, async context => Post($"sessions/{await context.SessionAsync()}/tokens", """{"expires_in_seconds":600}""")) { Check = Lifetime(600) };
        yield return new EmulatorCase($"{Token}-200-expires-null", Token, 200, null, async context => Post($"sessions/{await context.SessionAsync()}/tokens", """{"expires_in_seconds":null}""")) { Check = Lifetime(60) };
        yield return new EmulatorCase($"{Token}-404", Token, 404, "resource_not_found", _ => Task.FromResult(Post($"sessions/{Unknown}/tokens")));
        yield return new EmulatorCase($"{Token}-404-finished", Token, 404, "resource_not_found", async context => Post($"sessions/{await context.SessionAsync("ended")}/tokens"));
        yield return new EmulatorCase($"{Token}-422-expires", Token, 422, "form_param_value_invalid", async context => Post($"sessions/{await context.SessionAsync()}/tokens", """{"expires_in_seconds":29}"""));

        const string Template = "CreateSessionTokenFromTemplate";
        yield return new EmulatorCase($"{Template}-200", Template, 200, null, async context => Post($"sessions/{await context.SessionAsync()}/tokens/hasura"))
        {
            Check = (body, context) =>
            {
                var payload = EmulatorHost.Payload(body.GetProperty("jwt").GetString()!);
                Assert.True(payload.TryGetProperty("https://hasura.io/jwt/claims", out _));
                Assert.False(payload.TryGetProperty("sid", out _));
            },
        };
        yield return new EmulatorCase($"{Template}-200-expires", Template, 200, null, async context => Post($"sessions/{await context.SessionAsync()}/tokens/supabase", """{"expires_in_seconds":3600}"""))
        {
            Check = (body, context) =>
            {
                Lifetime(3600)(body, context);
                Assert.Equal("authenticated", EmulatorHost.Payload(body.GetProperty("jwt").GetString()!).GetProperty("aud").GetString());
            },
        };
        yield return new EmulatorCase($"{Template}-404-template", Template, 404, "resource_not_found", async context => Post($"sessions/{await context.SessionAsync()}/tokens/firebase"));
        yield return new EmulatorCase($"{Template}-404-session", Template, 404, "resource_not_found", _ => Task.FromResult(Post($"sessions/{Unknown}/tokens/hasura")));
        yield return new EmulatorCase($"{Template}-404-finished", Template, 404, "resource_not_found", async context => Post($"sessions/{await context.SessionAsync("removed")}/tokens/hasura"));
        yield return new EmulatorCase($"{Template}-422-expires", Template, 422, "form_param_value_invalid", async context => Post($"sessions/{await context.SessionAsync()}/tokens/hasura", """{"expires_in_seconds":315360001}"""));
    }

    private static IEnumerable<EmulatorCase> VerifyAndJwks()
    {
        yield return new EmulatorCase("VerifySession-410", "VerifySession", 410, "operation_deprecated", async context =>
        {
            var session = await context.SessionAsync();
            return Post($"sessions/{session}/verify", Json(new { token = await context.Host.SessionTokenAsync(session) })) with { ApiVersion = "2025-03-12" };
        });
        yield return new EmulatorCase("VerifySession-410-unknown-session", "VerifySession", 410, "operation_deprecated", _ => Task.FromResult(Post($"sessions/{Unknown}/verify", "{}") with { ApiVersion = "2025-03-12" }));

        yield return new EmulatorCase("GetJWKS-200", "GetJWKS", 200, null, context =>
        {
            context.Noted["current"] = context.Host.Emulator.SigningKeyId;
            return Task.FromResult(Get("jwks"));
        })
        {
            Check = (body, context) => Assert.Contains(context.Noted["current"], body.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString())),
        };
        yield return new EmulatorCase("GetJWKS-200-rotated", "GetJWKS", 200, null, context =>
        {
            context.Noted["previous"] = context.Host.Emulator.SigningKeyId;
            context.Noted["current"] = context.Host.Emulator.RotateSigningKey();
            return Task.FromResult(Get("jwks"));
        })
        {
            Check = (body, context) => Assert.Equal(new[] { context.Noted["current"], context.Noted["previous"] }, body.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString())),
        };
        yield return new EmulatorCase("GetJWKS-200-rate-limited", "GetJWKS", 200, null, async context =>
        {
            await context.SpendRateLimitAsync();
            return Get("jwks");
        })
        {
            Check = (body, _) => Assert.NotEqual(0, body.GetProperty("keys").GetArrayLength()),
        };
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>The token with the first character of its signature changed.</summary>
    private static string TamperSignature(string jwt)
    {
        var signature = jwt.LastIndexOf('.') + 1;
        return jwt[..signature] + (jwt[signature] == 'A' ? 'B' : 'A') + jwt[(signature + 1)..];
    }
}
