using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private readonly Task _accepting;

    public LoopbackHttpServer(int port, Func<RawRequest, CancellationToken, Task<Answer>> handle)
    {
        _handle = handle;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        foreach (var connection in _connections.Keys)
        {
            Close(connection, reset: true);
        }

        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by an exception when the listener stops.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
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

            _connections[client] = 0;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var token = _stop.Token;
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            var reader = new RequestReader(stream);
            while (!token.IsCancellationRequested)
            {
                RawRequest? request;
                try
                {
                    request = await reader.ReadAsync(() => WriteAsync(stream, "HTTP/1.1 100 Continue\r\n\r\n", token), token).ConfigureAwait(false);
                }
                catch (InvalidDataException)
                {
                    await WriteAnswerAsync(stream, Answer.Text(400, "Bad Request", "text/plain"), close: true, token).ConfigureAwait(false);
                    return;
                }

                if (request is null)
                {
                    return;
                }

                var answer = await _handle(request, token).ConfigureAwait(false);
                if (answer.Drop)
                {
                    Close(client, reset: true);
                    return;
                }

                var close = WantsClose(request) || answer.Truncate;
                await WriteAnswerAsync(stream, answer, close, token).ConfigureAwait(false);
                if (close)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server is stopping: nothing to answer.
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

    private static async Task WriteAnswerAsync(Stream stream, Answer answer, bool close, CancellationToken token)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(answer.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(answer.Status)).Append("\r\n")
            .Append("Date: ").Append(DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Content-Length: ").Append(answer.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        // Also for an empty body: EmptyBody answers an empty JSON response, as a broken proxy or server might.
        if (answer.ContentType.Length > 0)
        {
            head.Append("Content-Type: ").Append(answer.ContentType).Append("\r\n");
        }

        foreach (var header in answer.Headers)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n").Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var bodyLength = answer.Truncate ? answer.Body.Length / 2 : answer.Body.Length;
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
        _connections.TryRemove(client, out _);
        try
        {
            // Null once the connection's own task closed it (Stop races with it).
            var socket = client.Client;
            if (reset && socket is not null)
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

    private static string ReasonPhrase(int status) => status switch
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
