using System.Diagnostics;
using Xunit.Abstractions;

namespace ClerkSessions.Tests.Module;

/// <summary>
/// Runs the Pester suite (tests/Invoke-PesterSuite.ps1) in a real PowerShell when pwsh is on PATH. Without pwsh the
/// test is reported as skipped, never as passed: nothing here can stand in for the engine.
/// </summary>
public sealed class PesterSuiteTests
{
    private readonly ITestOutputHelper _output;

    public PesterSuiteTests(ITestOutputHelper output) => _output = output;

    [PwshFact]
    public void The_Pester_suite_passes_against_the_staged_module()
    {
        var script = Path.Combine(RepoFiles.Root, "tests", "Invoke-PesterSuite.ps1");
        var testServer = Path.Combine(AppContext.BaseDirectory, "ClerkSessions.TestServer.dll");
        var start = new ProcessStartInfo(PwshFactAttribute.Pwsh!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoFiles.Root,
        };
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-File", script, "-TestServerPath", testServer })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(15)), "The Pester suite did not finish within 15 minutes.");

        var summary = output.Result.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.StartsWith("pester: ", StringComparison.Ordinal));
        _output.WriteLine(summary ?? "The Pester suite printed no 'pester:' summary line.");
        ReportSummary(summary, process.ExitCode);

        Assert.True(process.ExitCode == 0, $"The Pester suite failed (exit code {process.ExitCode}).\n{output.Result}\n{errors.Result}");
        Assert.True(summary is not null, $"The Pester suite printed no 'pester:' summary line.\n{output.Result}\n{errors.Result}");
    }

    /// <summary>
    /// .ci/run counts the Pester tests in its summary line instead of this one test: it names a file in
    /// CLERKSESSIONS_PESTER_SUMMARY, which gets the Pester summary and the exit code (this test passes only with 0).
    /// </summary>
    private static void ReportSummary(string? summary, int exitCode)
    {
        var path = Environment.GetEnvironmentVariable("CLERKSESSIONS_PESTER_SUMMARY");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, $"{summary}\nexit {exitCode}\n");
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when pwsh is not on PATH or build.ps1 runs Pester itself.</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CLERKSESSIONS_PESTER") == "external")
        {
            Skip = "build.ps1 -Task Test runs the Pester suite itself, after dotnet test.";
        }
        else if (Pwsh is null)
        {
            Skip = "pwsh is not on PATH: the Pester suite (tests/*.Tests.ps1) was not run.";
        }
    }

    public static string? Pwsh { get; } = FindOnPath(OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, file))
            .FirstOrDefault(File.Exists);
}
