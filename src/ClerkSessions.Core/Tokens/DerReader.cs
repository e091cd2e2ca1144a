namespace ClerkSessions.Core.Tokens;

/// <summary>
/// Just enough DER (X.690) to read an RSA public key: definite, minimally encoded lengths that stay inside their
/// parent, and nothing left over. Anything else is a <see cref="FormatException"/>.
/// </summary>
internal sealed class DerReader
{
    public const byte IntegerTag = 0x02;
    public const byte BitStringTag = 0x03;
    public const byte NullTag = 0x05;
    public const byte ObjectIdentifierTag = 0x06;
    public const byte SequenceTag = 0x30;

    private readonly byte[] _data;
    private readonly int _end;
    private int _position;

    public DerReader(byte[] data)
        : this(data, 0, data.Length)
    {
    }

    private DerReader(byte[] data, int start, int end)
    {
        _data = data;
        _position = start;
        _end = end;
    }

    public bool HasData => _position < _end;

    public byte PeekTag() => HasData ? _data[_position] : throw Invalid();

    public DerReader ReadSequence()
    {
        var (start, length) = ReadHeader(SequenceTag);
        return new DerReader(_data, start, start + length);
    }

    /// <summary>A non-negative INTEGER's magnitude, big-endian, without the sign octet.</summary>
    public byte[] ReadUnsignedInteger()
    {
        var (start, length) = ReadHeader(IntegerTag);
        if (length == 0 || (_data[start] & 0x80) != 0)
        {
            throw Invalid();
        }

        if (_data[start] == 0 && length > 1)
        {
            // DER allows a leading zero only to keep the next octet's high bit from reading as a sign.
            if ((_data[start + 1] & 0x80) == 0)
            {
                throw Invalid();
            }

            start++;
            length--;
        }

        return Slice(start, length);
    }

    /// <summary>The content octets of an OBJECT IDENTIFIER, compared as bytes rather than decoded.</summary>
    public byte[] ReadObjectIdentifier()
    {
        var (start, length) = ReadHeader(ObjectIdentifierTag);
        return length == 0 ? throw Invalid() : Slice(start, length);
    }

    public void ReadNull()
    {
        if (ReadHeader(NullTag).Length != 0)
        {
            throw Invalid();
        }
    }

    /// <summary>A BIT STRING that holds whole octets (as every key encoding does).</summary>
    public byte[] ReadBitString()
    {
        var (start, length) = ReadHeader(BitStringTag);
        if (length == 0 || _data[start] != 0)
        {
            throw Invalid();
        }

        return Slice(start + 1, length - 1);
    }

    public void ReadEnd()
    {
        if (HasData)
        {
            throw Invalid();
        }
    }

    private (int Start, int Length) ReadHeader(byte tag)
    {
        if (PeekTag() != tag || _position + 1 >= _end)
        {
            throw Invalid();
        }

        _position++;
        int length = _data[_position++];
        if (length >= 0x80)
        {
            var octets = length & 0x7F;
            // 0x80 is BER's indefinite length; more than three octets would describe more than any key needs.
            if (octets is 0 or > 3 || _position + octets > _end || _data[_position] == 0)
            {
                throw Invalid();
            }

            length = 0;
            for (var index = 0; index < octets; index++)
            {
                length = (length << 8) | _data[_position++];
            }

            if (length < 0x80)
            {
                throw Invalid();
            }
        }

        if (length > _end - _position)
        {
            throw Invalid();
        }

        var start = _position;
        _position += length;
        return (start, length);
    }

    private byte[] Slice(int start, int length)
    {
        var slice = new byte[length];
        Buffer.BlockCopy(_data, start, slice, 0, length);
        return slice;
    }

    private static FormatException Invalid() => new("Not the DER encoding this reader expects.");
}
