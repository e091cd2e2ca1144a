namespace ClerkSessions.Core;

public enum ClerkLogLevel
{
    /// <summary>One line a request: method, path, status, elapsed, retry decisions (PowerShell's -Verbose).</summary>
    Verbose,

    /// <summary>Redacted headers and bodies (PowerShell's -Debug).</summary>
    Debug,
}

/// <summary>
/// Where the HTTP pipeline reports what it does. The cmdlets queue these lines and write them on the pipeline
/// thread; anything written here has already been redacted.
/// </summary>
public interface IClerkLogSink
{
    bool IsEnabled(ClerkLogLevel level);

    void Write(ClerkLogLevel level, string message);
}

internal static class ClerkLogSinkExtensions
{
    public static void Verbose(this IClerkLogSink? log, string message)
    {
        if (log?.IsEnabled(ClerkLogLevel.Verbose) == true)
        {
            log.Write(ClerkLogLevel.Verbose, message);
        }
    }
}
