using System.Management.Automation;
using System.Security;
using ClerkSessions.Connections;
using ClerkSessions.Core;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Connects this runspace to a Clerk instance with its secret key; every other cmdlet then uses that connection.</summary>
[Cmdlet(VerbsCommunications.Connect, "Clerk")]
[OutputType(typeof(ClerkConnection))]
public sealed class ConnectClerkCommand : ClerkCmdlet
{
    /// <summary>The instance's secret key (sk_test_… or sk_live_…); $env:CLERK_SECRET_KEY when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary>The Backend API root (e.g. an emulator's, piped from Start-ClerkEmulator); $env:CLERK_API_URL or https://api.clerk.com/v1/ when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
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
    [ValidateRange(0, ClerkClientOptions.MaxRetriesLimit)]
    public int MaxRetries { get; set; }

    /// <summary>
    /// Requests per -RateLimitWindowSec this connection sends at most, whichever command, page or runspace sends them;
    /// Clerk's limit for the key when omitted (100 / 10 s development, 1000 / 10 s production); 0 does not pace.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int RateLimit { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int RateLimitWindowSec { get; set; }

    /// <summary>Writes the connection, for -Connection; connecting again later leaves a connection written this way open.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var connection = ConnectOperation.Connect(this, Connections, SecretKey, ApiUrl, options =>
        {
            options.ApiVersion = ApiVersion ?? options.ApiVersion;
            options.AttemptTimeout = IsBound(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : options.AttemptTimeout;
            options.MaxRetries = IsBound(nameof(MaxRetries)) ? MaxRetries : options.MaxRetries;
            options.RateLimit = IsBound(nameof(RateLimit)) ? RateLimit : options.RateLimit;
            options.RateLimitWindow = IsBound(nameof(RateLimitWindowSec)) ? TimeSpan.FromSeconds(RateLimitWindowSec) : options.RateLimitWindow;
        }, PassThru.IsPresent);
        if (PassThru)
        {
            WriteObject(connection);
        }
    }
}
