using System.Management.Automation;
using System.Security;
using ClerkSessions.Commands;
using ClerkSessions.Core;

namespace ClerkSessions.Cmdlets;

/// <summary>Connects to a Clerk instance with its secret key; every other cmdlet then uses that connection.</summary>
[Cmdlet(VerbsCommunications.Connect, "Clerk")]
[OutputType(typeof(ClerkConnection))]
public sealed class ConnectClerkCommand : ClerkCmdlet
{
    /// <summary>The instance's secret key (sk_test_… or sk_live_…); $env:CLERK_SECRET_KEY when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary>The Backend API root; $env:CLERK_API_URL or https://api.clerk.com/v1/ when omitted.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? ApiUrl { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ApiVersion { get; set; }

    /// <summary>How long one attempt may wait for Clerk's answer.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; }

    [Parameter]
    [ValidateRange(0, 20)]
    public int MaxRetries { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void End()
    {
        var connection = new ConnectOperation(this).Connect(new ConnectRequest
        {
            SecretKey = SecretKey,
            ApiUrl = ApiUrl,
            ApiVersion = ApiVersion,
            TimeoutSec = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : null,
            MaxRetries = MyInvocation.BoundParameters.ContainsKey(nameof(MaxRetries)) ? MaxRetries : null,
        });
        if (PassThru)
        {
            WriteObject(connection);
        }
    }
}
