using System.Net.Sockets;
using System.Text;

namespace ClerkSessions.Emulator.Http;

/// <summary>
/// Reads HTTP/1.1 requests from one connection, one after the other (keep-alive): the request line, headers, and a
/// body framed by Content-Length or chunked transfer coding. Sizes are capped; anything malformed ends the connection.
/// </summary>
internal sealed class RequestReader
{
    public const int MaxHeaderBytes = 64 * 1024;
    public const int MaxBodyBytes = 4 * 1024 * 1024;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public RequestReader(Stream stream) => _stream = stream;

    /// <summary>The next request, or null when the client closed the connection between requests.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an HTTP request this server accepts.</exception>
    public async Task<RawRequest?> ReadAsync(Func<Task> onExpectContinue, CancellationToken cancellation)
    {
        var headerEnd = await FindHeaderEndAsync(cancellation).ConfigureAwait(false);
        if (headerEnd < 0)
        {
            return null;
        }

        var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !requestLine[1].StartsWith("/", StringComparison.Ordinal))
        {
            throw new InvalidDataException("Malformed request line.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException("Malformed header line.");
            }

            var name = line.Substring(0, colon).Trim();
            var value = line.Substring(colon + 1).Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        if (headers.TryGetValue("Expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await onExpectContinue().ConfigureAwait(false);
        }

        var body = await ReadBodyAsync(headers, cancellation).ConfigureAwait(false);
        var target = requestLine[1];
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target.Substring(0, question);
        var query = question < 0 ? string.Empty : target.Substring(question + 1);
        return new RawRequest(requestLine[0], path, query, headers, body);
    }

    private async Task<byte[]> ReadBodyAsync(Dictionary<string, string> headers, CancellationToken cancellation)
    {
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return await ReadChunkedAsync(cancellation).ConfigureAwait(false);
        }

        if (!headers.TryGetValue("Content-Length", out var lengthText))
        {
            return Array.Empty<byte>();
        }

        if (!int.TryParse(lengthText, out var length) || length < 0 || length > MaxBodyBytes)
        {
            throw new InvalidDataException("Bad Content-Length.");
        }

        return await ReadExactlyAsync(length, cancellation).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellation)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellation).ConfigureAwait(false);
            var semicolon = sizeLine.IndexOf(';');
            var sizeText = semicolon < 0 ? sizeLine : sizeLine.Substring(0, semicolon);
            if (!int.TryParse(sizeText.Trim(), System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0 || body.Length + size > MaxBodyBytes)
            {
                throw new InvalidDataException("Bad chunk size.");
            }

            if (size == 0)
            {
                while ((await ReadLineAsync(cancellation).ConfigureAwait(false)).Length > 0)
                {
                    // Trailers are read and ignored.
                }

                return body.ToArray();
            }

            var chunk = await ReadExactlyAsync(size, cancellation).ConfigureAwait(false);
            body.Write(chunk, 0, chunk.Length);
            if ((await ReadLineAsync(cancellation).ConfigureAwait(false)).Length != 0)
            {
                throw new InvalidDataException("Bad chunk framing.");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            for (var index = _start; index + 1 < _end; index++)
            {
                if (_buffer[index] == '\r' && _buffer[index + 1] == '\n')
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, index - _start);
                    _start = index + 2;
                    return line;
                }
            }

            if (_end - _start > MaxHeaderBytes || !await FillAsync(cancellation).ConfigureAwait(false))
            {
                throw new InvalidDataException("Line too long or connection closed.");
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken cancellation)
    {
        var result = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await FillAsync(cancellation).ConfigureAwait(false))
            {
                throw new InvalidDataException("The connection closed inside a body.");
            }

            var take = Math.Min(length - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    /// <summary>The index of the "\r\n\r\n" ending the header block, or -1 when the connection closed before a request began.</summary>
    private async Task<int> FindHeaderEndAsync(CancellationToken cancellation)
    {
        // How many bytes after _start were already scanned; an offset, since FillAsync moves the data to the front.
        var scanned = 0;
        while (true)
        {
            for (var index = _start + Math.Max(0, scanned - 3); index + 3 < _end; index++)
            {
                if (_buffer[index] == '\r' && _buffer[index + 1] == '\n' && _buffer[index + 2] == '\r' && _buffer[index + 3] == '\n')
                {
                    // A whole head can arrive in one read once the buffer has grown: its size is checked here too.
                    return index - _start > MaxHeaderBytes ? throw new InvalidDataException("Headers too large.") : index;
                }
            }

            scanned = _end - _start;
            if (_end - _start > MaxHeaderBytes)
            {
                throw new InvalidDataException("Headers too large.");
            }

            if (!await FillAsync(cancellation).ConfigureAwait(false))
            {
                return _end == _start ? -1 : throw new InvalidDataException("The connection closed inside the headers.");
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellation)
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

        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellation).ConfigureAwait(false);
        }
        catch (IOException exception) when (exception.InnerException is SocketException)
        {
            return false;
        }

        _end += read;
        return read > 0;
    }
}
