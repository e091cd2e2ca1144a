namespace ClerkSessions.Tests.Spec;

/// <summary>
/// A fact over Clerk's full OpenAPI files in <c>../shared/clerk/openapi</c>: skipped, with the reason, on a clone that
/// has no shared folder beside it; under CI=true it runs (and fails when the folder is absent), since CI always has it.
/// </summary>
public sealed class SharedSpecFactAttribute : FactAttribute
{
    public SharedSpecFactAttribute()
    {
        if (!Directory.Exists(Folder) && !IsCi)
        {
            Skip = $"{Folder} is absent: the vendored extract was not compared with Clerk's spec.";
        }
    }

    public static string Folder { get; } = Path.GetFullPath(Path.Combine(RepoFiles.Root, "..", "shared", "clerk", "openapi"));

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
