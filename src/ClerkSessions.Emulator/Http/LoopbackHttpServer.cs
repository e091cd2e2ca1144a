using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ClerkSessions.Emulator.Http;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 over a <see cref="TcpListener"/>: keep-alive connections served concurrently,
/// each request handed to one handler. A TcpListener needs neither http.sys URL reservations (HttpListener on Windows)
/// nor ASP.NET Core, so it runs the same in PowerShell 7 and Windows PowerShell 5.1, without administrator rights.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RawRequest, CancellationToken, Task<Answer>> _handle;
    private readonly Func<Answer> _internalError;

    // Never disposed: connections starting while the server stops still read its token.
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<TcpClient, Task> _connections = new();
    private readonly Task _accepting;

    /// <param name="internalError">The answer when the handler fails unexpectedly, so a client never waits on a dead connection.</param>
    public LoopbackHttpServer(int port, Func<RawRequest, CancellationToken, Task<Answer>> handle, Func<Answer> internalError)
    {
        _handle = handle;
        _internalError = internalError;
        _stopping = _stop.Token;
        _listener = new TcpListener(IPAddress.Loopback, port);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // No other process may bind the same port and read the requests (and their keys) meant for this one.
            _listener.ExclusiveAddressUse = true;
        }

        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>Stops accepting, resets every open connection and waits (up to 5 s) for the requests being served to end.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by an exception when the listener stops.
        }

        var serving = _connections.Values.ToArray();
        foreach (var connection in _connections.Keys)
        {
            Close(connection, reset: true);
        }

        Task.WaitAny(Task.WhenAll(serving), Task.Delay(TimeSpan.FromSeconds(5)));
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            var serving = new TaskCompletionSource<bool>();
            _connections[client] = serving.Task;
            _ = Task.Run(async () =>
            {
                await ServeAsync(client).ConfigureAwait(false);
                serving.TrySetResult(true);
            });
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            client.NoDelay = true;
            var stream = client.GetStream();
            var reader = new RequestReader(stream);
            while (!_stopping.IsCancellationRequested)
            {
                RawRequest? request;
                try
                {
                    request = await reader.ReadAsync(() => WriteAsync(stream, "HTTP/1.1 100 Continue\r\n\r\n", _stopping), _stopping).ConfigureAwait(false);
                }
                catch (InvalidDataException)
                {
                    await WriteAnswerAsync(stream, Answer.Text(400, "Bad Request", "text/plain"), close: true, headOnly: false, _stopping).ConfigureAwait(false);
                    return;
                }

                if (request is null)
                {
                    return;
                }

                Answer answer;
                try
                {
                    answer = await _handle(request, _stopping).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    answer = _internalError();
                }

                if (answer.Drop)
                {
                    Close(client, reset: true);
                    return;
                }

                var close = WantsClose(request) || answer.Truncate;
                await WriteAnswerAsync(stream, answer, close, request.Method == "HEAD", _stopping).ConfigureAwait(false);
                if (close)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or NullReferenceException)
        {
            // The client went away or the server is stopping (a TcpClient closed meanwhile may throw either of the last two).
        }
        finally
        {
            Close(client, reset: false);
        }
    }

    private static bool WantsClose(RawRequest request)
    {
        var connection = request.Header("Connection");
        return connection is not null && connection.IndexOf("close", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static async Task WriteAnswerAsync(Stream stream, Answer answer, bool close, bool headOnly, CancellationToken token)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(answer.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(answer.Status)).Append("\r\n")
            .Append("Date: ").Append(DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Content-Length: ").Append(answer.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("Content-Type: ").Append(answer.ContentType).Append("\r\n");

        foreach (var header in answer.Headers)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n").Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var bodyLength = headOnly ? 0 : answer.Truncate ? answer.Body.Length / 2 : answer.Body.Length;
        var bytes = new byte[headBytes.Length + bodyLength];
        Buffer.BlockCopy(headBytes, 0, bytes, 0, headBytes.Length);
        Buffer.BlockCopy(answer.Body, 0, bytes, headBytes.Length, bodyLength);
        await stream.WriteAsync(bytes, 0, bytes.Length, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken token)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        await stream.WriteAsync(bytes, 0, bytes.Length, token).ConfigureAwait(false);
    }

    private void Close(TcpClient client, bool reset)
    {
        // Whoever removes it closes it: the connection's own loop, a drop, or Dispose, whichever comes first.
        if (!_connections.TryRemove(client, out _))
        {
            return;
        }

        try
        {
            if (reset && client.Client is { } socket)
            {
                // A reset, not a graceful close: the client sees the connection broken, as when a proxy drops it.
                socket.LingerState = new LingerOption(true, 0);
            }

            client.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }
    }

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
