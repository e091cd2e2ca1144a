using System.Management.Automation;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Changes a running emulator: its latency, its rate limit, its signing key, its secret key.</summary>
[Cmdlet(VerbsCommon.Set, "ClerkEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(ClerkEmulator))]
public sealed class SetClerkEmulatorCommand : ClerkEmulatorCmdlet
{
    /// <summary>Milliseconds added before every answer.</summary>
    [Parameter]
    [ValidateRange(0, 600_000)]
    public int LatencyMs { get; set; }

    /// <summary>Requests per -RateLimitWindowSec (0 turns it off); the bucket starts full.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int RateLimit { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int RateLimitWindowSec { get; set; }

    /// <summary>Signs tokens with a new key from now on; the previous key stays in GET /jwks.</summary>
    [Parameter]
    public SwitchParameter RotateSigningKey { get; set; }

    /// <summary>Accepts a new secret key from now on and refuses the previous one (401), as when a key is rolled at Clerk.</summary>
    [Parameter]
    public SwitchParameter RotateSecretKey { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var emulator = ResolveEmulator();
        if (!ShouldProcess(emulator.ApiUrl.ToString(), "Change the Clerk emulator"))
        {
            return;
        }

        if (IsBound(nameof(LatencyMs)))
        {
            emulator.SetLatency(TimeSpan.FromMilliseconds(LatencyMs));
        }

        if (IsBound(nameof(RateLimit)) || IsBound(nameof(RateLimitWindowSec)))
        {
            var window = IsBound(nameof(RateLimitWindowSec)) ? TimeSpan.FromSeconds(RateLimitWindowSec) : emulator.RateLimitWindow;
            emulator.SetRateLimit(IsBound(nameof(RateLimit)) ? RateLimit : emulator.RateLimit, window);
        }

        if (RotateSigningKey)
        {
            WriteVerbose($"Tokens are now signed with key {emulator.RotateSigningKey()}.");
        }

        if (RotateSecretKey)
        {
            emulator.RotateSecretKey().Dispose();
            WriteVerbose("The emulator now accepts only its new secret key (its SecretKey property); the previous key gets 401 authentication_invalid.");
        }

        if (PassThru)
        {
            WriteObject(emulator);
        }
    }
}
