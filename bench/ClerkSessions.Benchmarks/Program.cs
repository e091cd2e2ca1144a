using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace ClerkSessions.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        // Results land beside the project (ignored by git) rather than in whatever directory `dotnet run` was started from;
        // --artifacts on the command line still wins.
        var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(ProjectDirectory(), "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }

    private static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ClerkSessions.Benchmarks.csproj")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
