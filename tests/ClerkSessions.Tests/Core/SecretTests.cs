using System.Security;
using System.Text.RegularExpressions;
using ClerkSessions.Core;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Core;

/// <summary>The secret key and every JWT stay out of logs, exception text and ToString().</summary>
public sealed class SecretTests
{
    private static readonly Regex AnyJwt = new(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*");

    [Fact]
    public async Task Debug_logging_of_every_operation_and_its_documented_errors_shows_neither_the_key_nor_a_token()
    {
        var thrown = new List<Exception>();
        string log;
        await using (var harness = await Harness.StartAsync())
        {
            foreach (var operation in ErrorTests.OperationNames)
            {
                await Capture(() => ErrorTests.Call(harness.Client, operation));
                await Capture(() => ErrorTests.Call(harness.Client, operation, Harness.MissingSession));
            }


            log = harness.Log.All;
            Assert.Contains(harness.Log.Lines, line => line.Level == ClerkLogLevel.Debug && line.Message.Contains("Authorization: [redacted]"));
            Assert.Contains(harness.Log.Lines, line => line.Level == ClerkLogLevel.Debug && Regex.IsMatch(line.Message, @"""jwt"":\s*""\[redacted\]"""));
            Assert.Contains(harness.Log.Lines, line => line.Level == ClerkLogLevel.Verbose && line.Message.Contains("GET /v1/sessions/sess_active_0001 -> 200"));
        }

        var everything = log + string.Concat(thrown.Select(error => error.ToString()));
        Assert.DoesNotContain(Harness.SecretKey, everything);
        Assert.DoesNotContain("recorded0000wxyz", everything);
        Assert.DoesNotMatch(AnyJwt, everything);
        Assert.DoesNotContain(RecordingValues.RefreshToken, everything);
        Assert.NotEmpty(thrown);

        async Task Capture(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception error) when (error is ClerkException or ArgumentException)
            {
                thrown.Add(error);
            }
        }
    }

    [Fact]
    public async Task Debug_logging_of_faults_shows_neither_the_key_nor_a_token()
    {
        var thrown = new List<Exception>();
        string log;
        string key;
        using (var harness = await EmulatorHarness.StartAsync())
        {
            key = harness.Host.Key;
            harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 1 });

            harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.DropConnection });
            harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.HtmlPage, StatusCode = 502 });
            harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.MalformedJson });
            for (var i = 0; i < 4; i++)
            {
                await Capture(() => harness.Client.CreateSessionTokenAsync(harness.ActiveSession));
            }

            await harness.Client.CreateSessionTokenAsync(harness.ActiveSession);

            Assert.Empty(harness.Emulator.PendingFaults);
            log = harness.Log.All;
            Assert.Contains(harness.Log.Lines, line => line.Level == ClerkLogLevel.Debug && line.Message.Contains("Authorization: [redacted]"));
            Assert.Contains(harness.Log.Lines, line => line.Level == ClerkLogLevel.Debug && Regex.IsMatch(line.Message, @"""jwt"":\s*""\[redacted\]"""));
        }

        var everything = log + string.Concat(thrown.Select(error => error.ToString()));
        Assert.DoesNotContain(key, everything);
        Assert.DoesNotContain(key["sk_test_".Length..], everything);
        Assert.DoesNotMatch(AnyJwt, everything);
        Assert.Equal(4, thrown.Count);

        async Task Capture(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (ClerkException error)
            {
                thrown.Add(error);
            }
        }
    }

    [Fact]
    public void The_key_shows_only_its_prefix_and_last_four_characters()
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);

        Assert.Equal("sk_test_\u2026wxyz", key.Masked);
        Assert.Equal(key.Masked, key.ToString());
        Assert.Equal(ClerkEnvironment.Development, key.Environment);
        using var live = ClerkSecretKey.FromPlainText("sk_live_production00wxyz");
        Assert.Equal(ClerkEnvironment.Production, live.Environment);
        Assert.Equal("sk_live_\u2026wxyz", live.Masked);
    }

    [Fact]
    public void A_key_from_a_SecureString_is_the_same_key()
    {
        using var secure = new SecureString();
        foreach (var character in Harness.SecretKey)
        {
            secure.AppendChar(character);
        }

        using var key = ClerkSecretKey.FromSecureString(secure);

        Assert.Equal(Harness.SecretKey, key.Use(plain => plain));
        Assert.Equal("sk_test_\u2026wxyz", key.Masked);
    }

    [Theory]
    [InlineData("pk_test_recorded0000wxyz", "starts with 'sk_test_'")]
    [InlineData("recorded0000wxyz", "starts with 'sk_test_'")]
    [InlineData("sk_test_short", "at least 8 characters")]
    [InlineData("sk_test_recorded 0000wxyz", "no spaces")]
    [InlineData("", "empty")]
    public void Malformed_keys_are_refused_without_repeating_them(string candidate, string expected)
    {
        var error = Assert.Throws<ClerkInvalidArgumentException>(() => ClerkSecretKey.FromPlainText(candidate));

        Assert.Contains(expected, error.Message);
        if (candidate.Length > 0)
        {
            Assert.DoesNotContain(candidate, error.Message);
        }
    }

    [Theory]
    [InlineData("Bearer sk_live_abcdefgh12345678", "Bearer [redacted]")]
    [InlineData("""{"jwt":"abc","object":"token"}""", """{"jwt":"[redacted]","object":"token"}""")]
    [InlineData("""{"refresh_token" : "opaque\"quoted", "request_origin":"https://a"}""", """{"refresh_token" : "[redacted]", "request_origin":"https://a"}""")]
    [InlineData("__session=eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJ4In0.c2ln; Path=/", "__session=[redacted]; Path=/")]
    [InlineData("no secrets here", "no secrets here")]
    public void Redaction_removes_keys_tokens_and_token_members(string text, string expected)
    {
        Assert.Equal(expected, Redaction.Text(text));
    }

    [Theory]
    [InlineData("sess_1", "'sess_1'")]
    [InlineData("a\u001b[31mb\r\n", "'a?[31mb??'")]
    [InlineData("right\u202Eleft\u200Bx", "'right?left?x'")]
    [InlineData("Zoë 🦊", "'Zoë 🦊'")]
    public void Quote_shows_control_and_format_characters_as_question_marks(string value, string expected)
    {
        Assert.Equal(expected, Redaction.Quote(value));
    }

    [Fact]
    public void Quote_cuts_long_values_short_without_splitting_a_character()
    {
        Assert.Equal("'" + new string('x', 80) + "...'", Redaction.Quote(new string('x', 5000)));
        Assert.Equal("'" + new string('x', 79) + "...'", Redaction.Quote(new string('x', 79) + "🦊🦊"));
    }

    [Theory]
    [InlineData("refresh_token is invalid. Received rt_opaque_0001_6f1c9b2e4d.", "refresh_token is invalid. Received [redacted].")]
    [InlineData("<title>502 for rt_opaque_0001_6f1c9b2e4d and eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJ4In0.c2ln</title>", "<title>502 for [redacted] and [redacted]</title>")]
    [InlineData("the value rt_1 is too short to be taken for a secret", "the value rt_1 is too short to be taken for a secret")]
    public void Redaction_removes_the_known_secrets_a_call_sent_wherever_an_answer_echoes_them(string text, string expected)
    {
        Assert.Equal(expected, Redaction.Text(text, new[] { "rt_opaque_0001_6f1c9b2e4d", "rt_1" }));
    }
}
