namespace ClerkSessions.Emulator;

/// <summary>How a faulted request is answered.</summary>
public enum EmulatorFaultKind
{
    /// <summary>429 <c>too_many_requests</c> with a Retry-After (see <see cref="EmulatorFault.RetryAfterFormat"/>).</summary>
    RateLimited,

    /// <summary>A Clerk error envelope with <see cref="EmulatorFault.StatusCode"/> (500 unless set): 401, 404, 410, 500, 503, 504, …</summary>
    Status,

    /// <summary>An HTML error page, as a proxy in front of Clerk sends it (502 unless set).</summary>
    HtmlPage,

    /// <summary>The connection is reset after the request is read, with no answer.</summary>
    DropConnection,

    /// <summary>The real answer's headers, then half its body, then the connection closes.</summary>
    TruncatedBody,

    /// <summary>A JSON content type with a body that is not JSON (200 unless set).</summary>
    MalformedJson,

    /// <summary>An empty body with a JSON content type (200 unless set).</summary>
    EmptyBody,

    /// <summary>The real answer, after <see cref="EmulatorFault.Delay"/>.</summary>
    Slow,
}

/// <summary>How the Retry-After of a <see cref="EmulatorFaultKind.RateLimited"/> fault is written.</summary>
public enum RetryAfterFormat
{
    Seconds,
    HttpDate,
    None,
}

/// <summary>
/// A misbehaviour for the next <see cref="Count"/> requests that match <see cref="Operation"/> and
/// <see cref="Path"/> (both optional). Faults apply in the order they were added, before the key, the version and
/// the rate limit are checked, as a failure in front of Clerk would.
/// </summary>
public sealed class EmulatorFault
{
    public EmulatorFaultKind Kind { get; set; }

    /// <summary>How many matching requests get the fault.</summary>
    public int Count { get; set; } = 1;

    /// <summary>The spec's operationIds the fault applies to (e.g. RevokeSession); any when empty.</summary>
    public string[]? Operation { get; set; }

    /// <summary>A wildcard pattern (<c>*</c>, <c>?</c>) over the request path, e.g. <c>/v1/sessions/sess_2*/revoke</c>; any when null.</summary>
    public string? Path { get; set; }

    public int? StatusCode { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    public RetryAfterFormat RetryAfterFormat { get; set; } = RetryAfterFormat.Seconds;

    /// <summary>For <see cref="EmulatorFaultKind.Slow"/>: how long the answer waits.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many matching requests still get it.</summary>
    public int Remaining { get; internal set; }

    internal void Validate()
    {
        if (Count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), Count, "Count must be at least 1.");
        }

        if (StatusCode is < 200 or > 599 or 204 or 304)
        {
            throw new ArgumentOutOfRangeException(nameof(StatusCode), StatusCode, "StatusCode must be an HTTP status from 200 to 599 that carries a body (not 204 or 304).");
        }

        Operation = Operation?.Select(ClerkEmulator.CanonicalOperation).ToArray();

        if (RetryAfterSeconds < 0 || Delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryAfterSeconds), "RetryAfterSeconds and Delay must not be negative.");
        }
    }

    internal EmulatorFault Copy()
    {
        var copy = (EmulatorFault)MemberwiseClone();
        copy.Operation = (string[]?)Operation?.Clone();
        return copy;
    }

    public override string ToString() => $"{Kind} x{Remaining} ({(Operation is { Length: > 0 } ? string.Join(",", Operation) : "any operation")}{(Path is null ? string.Empty : " " + Path)})";
}
