namespace ClerkSessions.Tests;

/// <summary>Finds files of the repository (and the shared reference folder beside it, when present) from the test output.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file of <c>../shared/clerk/examples</c>, or null on a clone that has no shared folder beside it.</summary>
    public static string? SharedExample(string name)
    {
        var path = Path.Combine(Root, "..", "shared", "clerk", "examples", name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ClerkSessions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ClerkSessions.sln was not found above " + AppContext.BaseDirectory);
    }
}
