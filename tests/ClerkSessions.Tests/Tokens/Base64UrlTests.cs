using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Tests.Tokens;

public sealed class Base64UrlTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("Zg", new byte[] { 0x66 })]
    [InlineData("Zm8", new byte[] { 0x66, 0x6F })]
    [InlineData("Zm9v", new byte[] { 0x66, 0x6F, 0x6F })]
    [InlineData("-_8", new byte[] { 0xFB, 0xFF })]
    [InlineData("AQAB", new byte[] { 0x01, 0x00, 0x01 })]
    public void Decodes_the_url_alphabet_without_padding(string text, byte[] expected)
    {
        Assert.True(Base64Url.TryDecode(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Z")]
    [InlineData("Zg==")]
    [InlineData("Zm8=")]
    [InlineData("Zh")]
    [InlineData("Zm9")]
    [InlineData("+/8")]
    [InlineData("Zm 9v")]
    [InlineData("Zm9v\n")]
    [InlineData("Zm9v.")]
    [InlineData("Zm9é")]
    [InlineData("Ｚｍ９ｖ")]
    public void Refuses_anything_but_the_one_canonical_spelling(string? text)
    {
        Assert.False(Base64Url.TryDecode(text, out var bytes));
        Assert.Empty(bytes);
    }

    [Fact]
    public void Round_trips_every_length_and_byte_value()
    {
        var random = new Random(20260512);
        for (var length = 0; length <= 300; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            if (length == 256)
            {
                bytes = Enumerable.Range(0, 256).Select(value => (byte)value).ToArray();
            }

            Assert.True(Base64Url.TryDecode(TokenFactory.Encode(bytes), out var decoded));
            Assert.Equal(bytes, decoded);
        }
    }
}
