using ClerkSessions.TestServer;

// Serves a folder of recordings on 127.0.0.1 until Ctrl+C or SIGTERM (used by the Pester suite and by hand).
string? recordings = null;
string? urlFile = null;
var port = 0;
for (var index = 0; index < args.Length; index++)
{
    string Next() => index + 1 < args.Length ? args[++index] : throw new ArgumentException($"{args[index]} needs a value.");
    try
    {
        switch (args[index])
        {
            case "--recordings": recordings = Next(); break;
            case "--url-file": urlFile = Next(); break;
            case "--port": port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"Unknown argument '{args[index]}'.");
        }
    }
    catch (Exception error) when (error is ArgumentException or FormatException)
    {
        return Usage(error.Message);
    }
}

if (recordings is null)
{
    return Usage("--recordings is required.");
}

if (!Directory.Exists(recordings))
{
    return Usage($"The recordings folder '{recordings}' does not exist.");
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var server = await RecordedResponseServer.StartAsync(Recording.LoadDirectory(recordings), port);
if (urlFile is not null)
{
    await File.WriteAllTextAsync(urlFile, server.BaseUrl.ToString());
}

Console.WriteLine($"Listening on {server.BaseUrl}");
Console.Out.Flush();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine("usage: ClerkSessions.TestServer --recordings <folder> [--port <n>] [--url-file <path>]");
    return 2;
}
