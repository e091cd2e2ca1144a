using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClerkSessions.Tests.Emulator;

/// <summary>An HTTP/1.1 response as read off the socket.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// One TCP connection to the emulator, written and read byte for byte, for tests of the HTTP framing itself. Every
/// read gives up after <see cref="Timeout"/>, so a server that never answers fails the test instead of hanging it.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> OpenAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new RawConnection(client);
    }

    /// <summary>A GET with the key and nothing else but Host (and any <paramref name="headers"/>), as one string.</summary>
    public static string Get(string path, string key, params string[] headers) =>
        $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n" + string.Concat(headers.Select(header => header + "\r\n")) + "\r\n";

    /// <summary>A POST with a JSON body framed by Content-Length.</summary>
    public static string Post(string path, string key, string json) =>
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json).ToString(CultureInfo.InvariantCulture)}\r\n\r\n{json}";

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>Writes every byte on its own, waiting for each write to finish.</summary>
    public async Task SendByteByByteAsync(string text)
    {
        foreach (var value in Encoding.UTF8.GetBytes(text))
        {
            await SendAsync(new[] { value });
        }
    }

    /// <summary>The next response: status line, headers, and a body of Content-Length bytes (none for a 1xx).</summary>
    public async Task<RawResponse> ReadResponseAsync()
    {
        var headerEnd = await FindAsync("\r\n\r\n"u8.ToArray());
        var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        var lines = head.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        Assert.Equal("HTTP/1.1", statusLine[0]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var status = int.Parse(statusLine[1], CultureInfo.InvariantCulture);
        var length = status < 200 ? 0 : int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture);
        while (_end - _start < length)
        {
            Assert.True(await FillAsync(), "the connection closed inside a response body");
        }

        var body = Encoding.UTF8.GetString(_buffer, _start, length);
        _start += length;
        return new RawResponse(status, headers, body);
    }

    /// <summary>Whether the server closed the connection (gracefully or by a reset) with nothing more to read; false when it stays open.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan? wait = null)
    {
        if (_end > _start)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(wait ?? Timeout);
        try
        {
            return await _stream.ReadAsync(_buffer.AsMemory(0, 1), timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }

    private async Task<int> FindAsync(byte[] marker)
    {
        var from = _start;
        while (true)
        {
            var index = _buffer.AsSpan(from, _end - from).IndexOf(marker);
            if (index >= 0)
            {
                return from + index;
            }

            from = Math.Max(_start, _end - marker.Length + 1);
            var before = _start;
            Assert.True(await FillAsync(), "the connection closed before a whole response head arrived");
            from -= before - _start;
        }
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        using var timeout = new CancellationTokenSource(Timeout);
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No answer within {Timeout.TotalSeconds} s.");
        }

        _end += read;
        return read > 0;
    }
}
