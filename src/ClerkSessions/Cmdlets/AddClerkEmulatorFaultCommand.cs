using System.Management.Automation;
using ClerkSessions.Emulator;
using ClerkSessions.Operations;

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
    [ValidateRange(200, 599)]
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

    /// <summary>A parameter the kind ignores is a mistake in the test that gives it, so it is refused.</summary>
    private void RefuseWhatDoesNotApply()
    {
        var ignored = new List<string>();
        if (IsBound(nameof(StatusCode)) && Kind is not (EmulatorFaultKind.Status or EmulatorFaultKind.HtmlPage or EmulatorFaultKind.MalformedJson or EmulatorFaultKind.EmptyBody))
        {
            ignored.Add(nameof(StatusCode));
        }

        if (Kind != EmulatorFaultKind.RateLimited)
        {
            ignored.AddRange(new[] { nameof(RetryAfterSec), nameof(RetryAfterFormat) }.Where(IsBound));
        }

        if (Kind != EmulatorFaultKind.Slow && IsBound(nameof(DelayMs)))
        {
            ignored.Add(nameof(DelayMs));
        }

        if (ignored.Count > 0)
        {
            throw new CommandTerminatingException(CommandErrors.Terminating(
                "ClerkEmulatorFaultInvalid",
                ErrorCategory.InvalidArgument,
                $"A {Kind} fault does not use -{string.Join(", -", ignored)}.",
                Kind));
        }
    }

    protected override void Process()
    {
        RefuseWhatDoesNotApply();
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
        try
        {
            ResolveEmulator().AddFault(fault);
        }
        catch (ArgumentException exception)
        {
            throw new CommandTerminatingException(new CommandError(exception, "ClerkEmulatorFaultInvalid", ErrorCategory.InvalidArgument, fault));
        }
        WriteVerbose($"The next {Count} matching request(s) get {fault}.");
        if (PassThru)
        {
            WriteObject(fault);
        }
    }
}
