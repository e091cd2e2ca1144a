using System.Collections;
using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Refreshes a session: a new session token for an expired one, or the cookies to set (-Format Cookie).</summary>
[Cmdlet(VerbsData.Update, "ClerkSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClerkSessionToken), typeof(ClerkSessionCookies))]
public sealed class UpdateClerkSessionCommand : ClerkApiCmdlet
{
    private UpdateSessionOperation? _operation;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string SessionId { get; set; } = "";

    /// <summary>The expired session token (JWT) to refresh; a string or a SecureString.</summary>
    [Parameter(Mandatory = true)]
    [SecretText]
    [ValidateNotNullOrEmpty]
    public string ExpiredToken { get; set; } = "";

    /// <summary>The refresh token from the __refresh cookie; a string or a SecureString.</summary>
    [Parameter(Mandatory = true)]
    [SecretText]
    [ValidateNotNullOrEmpty]
    public string RefreshToken { get; set; } = "";

    /// <summary>The origin of the request being refreshed, e.g. https://app.example.com.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string RequestOrigin { get; set; } = "";

    /// <summary>The headers of the request being refreshed, e.g. @{ 'User-Agent' = '…' }.</summary>
    [Parameter]
    public Hashtable? RequestHeaders { get; set; }

    [Parameter]
    public SessionRefreshFormat Format { get; set; } = SessionRefreshFormat.Token;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RequestOriginatingIp { get; set; }

    protected override void Begin() => _operation = Own(new UpdateSessionOperation(this, ResolveConnection()));

    protected override void Process() =>
        _operation!.Refresh(SessionId, new SessionRefreshRequest(ExpiredToken, RefreshToken, RequestOrigin)
        {
            RequestHeaders = UpdateSessionOperation.ToHeaders(RequestHeaders),
            Format = IsBound(nameof(Format)) ? Format : null,
            RequestOriginatingIp = RequestOriginatingIp,
        });
}
