using System.Management.Automation;
using System.Security;
using ClerkSessions.Core;
using ClerkSessions.Emulator;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Starts an emulated Clerk instance in this process, serving the Sessions API over HTTP on 127.0.0.1.</summary>
[Cmdlet(VerbsLifecycle.Start, "ClerkEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(ClerkEmulator))]
public sealed class StartClerkEmulatorCommand : ClerkCmdlet
{
    /// <summary>The loopback port; a free one when omitted.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    [Parameter]
    [ValidateRange(0, 100_000)]
    public int UserCount { get; set; } = 3;

    [Parameter]
    [ValidateRange(0, 10_000)]
    public int SessionsPerUser { get; set; } = 6;

    /// <summary>The same seed gives the same ids and statuses.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>Development (sk_test_ key, 100 requests / 10 s) or Production (sk_live_ key, 1000 / 10 s).</summary>
    [Parameter]
    public ClerkEmulatorEnvironment Environment { get; set; } = ClerkEmulatorEnvironment.Development;

    /// <summary>The key clients must send; a random one when omitted. Its prefix decides the environment.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary>Requests per -RateLimitWindowSec; Clerk's default for the environment when omitted; 0 turns it off.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int RateLimit { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int RateLimitWindowSec { get; set; } = 10;

    /// <summary>Milliseconds added before every answer.</summary>
    [Parameter]
    [ValidateRange(0, 600_000)]
    public int LatencyMs { get; set; }

    /// <summary>Serves until Ctrl+C, then stops: for running the emulator as a standalone server.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void End()
    {
        var where = Port == 0 ? "a free port" : $"port {Port}";
        if (!ShouldProcess($"127.0.0.1, {where}", "Start a Clerk emulator"))
        {
            return;
        }

        ClerkEmulator emulator;
        try
        {
            emulator = ClerkEmulator.Start(new ClerkEmulatorOptions
            {
                Port = Port,
                Users = UserCount,
                SessionsPerUser = SessionsPerUser,
                Seed = Seed,
                Environment = Environment,
                SecretKey = SecretKey,
                RateLimit = IsBound(nameof(RateLimit)) ? RateLimit : null,
                RateLimitWindow = TimeSpan.FromSeconds(RateLimitWindowSec),
                Latency = TimeSpan.FromMilliseconds(LatencyMs),
                RequestLogFilter = Redaction.Text,
            });
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or ArgumentException)
        {
            throw new CommandTerminatingException(new CommandError(exception, "ClerkEmulatorStartFailed", ErrorCategory.ResourceUnavailable, Port));
        }

        Emulators.Add(emulator);
        var limit = emulator.RateLimit == 0 ? "no rate limit" : $"rate limit {emulator.RateLimit} / {emulator.RateLimitWindow.TotalSeconds:0.###} s";
        WriteVerbose($"Clerk emulator serving {emulator.ApiUrl} ({emulator.Environment}, {emulator.UserIds.Length} users x {emulator.SessionsPerUser} sessions, {limit}).");
        WriteObject(emulator);
        if (!Wait)
        {
            return;
        }

        WriteInformation(new HostInformationMessage { Message = $"Serving {emulator.ApiUrl} until Ctrl+C." }, new[] { "PSHOST" });
        // Until Ctrl+C, or until the emulator is stopped some other way (Stop-ClerkEmulator from another runspace).
        while (emulator.IsRunning && !StopToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250)))
        {
        }

        emulator.Stop();
        StopToken.ThrowIfCancellationRequested();
    }
}
