using System.Management.Automation;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Verifies session tokens locally against the instance's signing keys; -UseVerifyEndpoint tries Clerk's retired
/// verify endpoint instead. Token objects from New-ClerkSessionToken and Update-ClerkSession bind by property name:
/// their Token to -Token, their SessionId to -SessionId, so each is checked against the session it names.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ClerkSessionToken", DefaultParameterSetName = ByTokenSet)]
[OutputType(typeof(bool))]
[OutputType(typeof(SessionTokenVerification), ParameterSetName = new[] { ByTokenSet })]
public sealed class TestClerkSessionTokenCommand : ClerkApiCmdlet
{
    public const string ByTokenSet = "ByToken";
    public const string ByVerifyEndpointSet = "ByVerifyEndpoint";
    private VerifySessionTokenOperation? _tokenOperation;
    private VerifyEndpointOperation? _endpointOperation;

    /// <summary>The session token (JWT), as a string or a SecureString.</summary>
    [Parameter(ParameterSetName = ByTokenSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByVerifyEndpointSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SecretText]
    [ValidateNotNullOrEmpty]
    public string Token { get; set; } = "";

    /// <summary>The one session the token must belong to.</summary>
    [Parameter(ParameterSetName = ByTokenSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByVerifyEndpointSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string? SessionId { get; set; }

    [Parameter(ParameterSetName = ByTokenSet)]
    [ValidateNotNullOrEmpty]
    public string[]? AuthorizedParty { get; set; }

    [Parameter(ParameterSetName = ByTokenSet)]
    public TimeSpan ClockSkew { get; set; } = SessionTokenVerificationOptions.DefaultClockSkew;

    /// <summary>The instance's PEM public key, for verifying without any network call; $env:CLERK_JWT_KEY when omitted.</summary>
    [Parameter(ParameterSetName = ByTokenSet)]
    [ValidateNotNullOrEmpty]
    public string? JwtKey { get; set; }

    [Parameter(ParameterSetName = ByTokenSet)]
    public SwitchParameter Detailed { get; set; }

    [Parameter(ParameterSetName = ByVerifyEndpointSet, Mandatory = true)]
    public SwitchParameter UseVerifyEndpoint { get; set; }

    // The operations are made on the first input: a token checked with a PEM key must not need a connection at all.
    protected override void Process()
    {
        if (UseVerifyEndpoint.IsPresent)
        {
            _endpointOperation ??= Own(new VerifyEndpointOperation(this, ResolveConnection()));
            _endpointOperation.Verify(SessionId!, Token);
            return;
        }

        _tokenOperation ??= Own(VerifySessionTokenOperation.Create(this, JwtKey, ResolveConnection));
        _tokenOperation.Test(new SessionTokenTest(Token)
        {
            SessionId = SessionId,
            AuthorizedParties = AuthorizedParty,
            ClockSkew = ClockSkew,
            Detailed = Detailed.IsPresent,
        });
    }
}
