using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Tells whether sessions are active ($true/$false per id), or verifies session tokens locally against the
/// instance's signing keys; -UseVerifyEndpoint tries Clerk's retired verify endpoint.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ClerkSession", DefaultParameterSetName = BySessionIdSet)]
[OutputType(typeof(bool))]
[OutputType(typeof(SessionTokenVerification), ParameterSetName = new[] { ByTokenSet, ByInputObjectSet })]
public sealed class TestClerkSessionCommand : ClerkApiCmdlet
{
    public const string BySessionIdSet = "BySessionId";
    public const string ByTokenSet = "ByToken";
    public const string ByInputObjectSet = "ByInputObject";
    public const string ByVerifyEndpointSet = "ByVerifyEndpoint";
    private TestSessionOperation? _sessionOperation;
    private VerifySessionTokenOperation? _tokenOperation;

    [Parameter(ParameterSetName = BySessionIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByTokenSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByVerifyEndpointSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [SessionIdInput(typeof(TestClerkSessionCommand))]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    /// <summary>The session token (JWT), as a string or a SecureString.</summary>
    [Parameter(ParameterSetName = ByTokenSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByVerifyEndpointSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SecretText]
    [ValidateNotNullOrEmpty]
    public string Token { get; set; } = "";

    /// <summary>
    /// Tokens from New-ClerkSessionToken or Update-ClerkSession. Bound by value (an exact type match wins over every
    /// by-name binding), so a piped token object is always verified, never taken for a session id.
    /// </summary>
    [Parameter(ParameterSetName = ByInputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClerkSessionToken[] InputObject { get; set; } = Array.Empty<ClerkSessionToken>();

    [Parameter(ParameterSetName = ByTokenSet)]
    [Parameter(ParameterSetName = ByInputObjectSet)]
    [ValidateNotNullOrEmpty]
    public string[]? AuthorizedParty { get; set; }

    [Parameter(ParameterSetName = ByTokenSet)]
    [Parameter(ParameterSetName = ByInputObjectSet)]
    public TimeSpan ClockSkew { get; set; } = SessionTokenVerificationOptions.DefaultClockSkew;

    /// <summary>The instance's PEM public key, for verifying without any network call; $env:CLERK_JWT_KEY when omitted.</summary>
    [Parameter(ParameterSetName = ByTokenSet)]
    [Parameter(ParameterSetName = ByInputObjectSet)]
    [ValidateNotNullOrEmpty]
    public string? JwtKey { get; set; }

    [Parameter(ParameterSetName = ByTokenSet)]
    [Parameter(ParameterSetName = ByInputObjectSet)]
    public SwitchParameter Detailed { get; set; }

    [Parameter(ParameterSetName = ByVerifyEndpointSet, Mandatory = true)]
    public SwitchParameter UseVerifyEndpoint { get; set; }

    // The operations are made on first use: until the first pipeline object is bound, the parameter set is not known,
    // and a token checked with a PEM key must not need a connection at all.
    protected override void Process()
    {
        switch (ParameterSetName)
        {
            case ByTokenSet:
                Verify(new SessionTokenTest(Token) { SessionId = SessionTokenTest.OneSessionId(SessionId) });
                break;
            case ByInputObjectSet:
                foreach (var token in InputObject)
                {
                    Verify(SessionTokenTest.From(token));
                }

                break;
            case ByVerifyEndpointSet:
                _sessionOperation ??= Own(new TestSessionOperation(this, ResolveConnection()));
                _sessionOperation.VerifyWithEndpoint(SessionTokenTest.OneSessionId(SessionId)!, Token);
                break;
            default:
                _sessionOperation ??= Own(new TestSessionOperation(this, ResolveConnection()));
                _sessionOperation.TestById(SessionId);
                break;
        }
    }

    private void Verify(SessionTokenTest test)
    {
        _tokenOperation ??= Own(VerifySessionTokenOperation.Create(this, JwtKey, ResolveConnection));
        test.AuthorizedParties = AuthorizedParty;
        test.ClockSkew = ClockSkew;
        test.Detailed = Detailed.IsPresent;
        _tokenOperation.Test(test);
    }
}
