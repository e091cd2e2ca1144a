using System.Management.Automation;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Makes an emulator misbehave for the next requests that match: 429, 5xx, HTML pages, dropped connections, bodies cut short or malformed, slow answers.</summary>
[Cmdlet(VerbsCommon.Add, "ClerkEmulatorFault")]
[OutputType(typeof(EmulatorFault))]
public sealed class AddClerkEmulatorFaultCommand : ClerkEmulatorCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public EmulatorFaultKind Kind { get; set; }

    /// <summary>How many matching requests get the fault.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    /// <summary>Only requests to these operations (the spec's operationIds); any when omitted.</summary>
    [Parameter]
    [EmulatorOperation]
    [ValidateEmulatorOperation]
    public string[]? Operation { get; set; }

    /// <summary>Only requests whose path matches this wildcard pattern, e.g. '/v1/sessions/sess_2abc*'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The status answered (Status: 500, HtmlPage: 502, MalformedJson and EmptyBody: 200 when omitted).</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int StatusCode { get; set; }

    /// <summary>For RateLimited: the seconds Retry-After asks for.</summary>
    [Parameter]
    [ValidateRange(0, 86_400)]
    public int RetryAfterSec { get; set; } = 1;

    /// <summary>For RateLimited: Retry-After in seconds, as an HTTP date, or none at all.</summary>
    [Parameter]
    public RetryAfterFormat RetryAfterFormat { get; set; } = RetryAfterFormat.Seconds;

    /// <summary>For Slow: how long the answer waits, in milliseconds.</summary>
    [Parameter]
    [ValidateRange(0, 3_600_000)]
    public int DelayMs { get; set; } = 5000;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var fault = new EmulatorFault
        {
            Kind = Kind,
            Count = Count,
            Operation = Operation,
            Path = Path,
            StatusCode = IsBound(nameof(StatusCode)) ? StatusCode : null,
            RetryAfterSeconds = RetryAfterSec,
            RetryAfterFormat = RetryAfterFormat,
            Delay = TimeSpan.FromMilliseconds(DelayMs),
        };
        ResolveEmulator().AddFault(fault);
        WriteVerbose($"The next {Count} matching request(s) get {fault}.");
        if (PassThru)
        {
            WriteObject(fault);
        }
    }
}
