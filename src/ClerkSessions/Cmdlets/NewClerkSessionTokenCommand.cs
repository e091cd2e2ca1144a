using System.Management.Automation;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Creates a session token (JWT) for a session, optionally from a JWT template.</summary>
[Cmdlet(VerbsCommon.New, "ClerkSessionToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ClerkSessionToken), typeof(string))]
public sealed class NewClerkSessionTokenCommand : ClerkApiCmdlet
{
    private NewSessionTokenOperation? _operation;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [SessionIdInput(typeof(NewClerkSessionTokenCommand))]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    /// <summary>The JWT template to shape the token with (Clerk Dashboard, JWT templates).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TemplateName { get; set; }

    [Parameter]
    [ValidateRange(ClerkSessionsClient.MinTokenLifetimeSeconds, ClerkSessionsClient.MaxTokenLifetimeSeconds)]
    public int ExpiresInSeconds { get; set; }

    /// <summary>Writes the JWT as a plain string instead of a token object holding a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    protected override void Begin() =>
        _operation = Own(new NewSessionTokenOperation(this, ResolveConnection())
        {
            TemplateName = TemplateName,
            ExpiresInSeconds = IsBound(nameof(ExpiresInSeconds)) ? ExpiresInSeconds : null,
            AsPlainText = AsPlainText.IsPresent,
        });

    protected override void Process() => _operation!.Create(SessionId);
}
