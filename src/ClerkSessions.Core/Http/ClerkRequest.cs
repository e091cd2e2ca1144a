using System.Net.Http.Headers;
using System.Text;

namespace ClerkSessions.Core.Http;

/// <summary>
/// Everything about one call that the handlers need to know: which operation it is, whether it is safe to repeat,
/// and how many attempts it took. Travels with the <see cref="HttpRequestMessage"/>.
/// </summary>
internal sealed class ClerkRequest
{
    private const string PropertyKey = "ClerkSessions.Request";

    public ClerkRequest(ClerkOperation operation, HttpMethod method, string relativePath, string? sessionId = null)
    {
        Operation = operation;
        Method = method;
        RelativePath = relativePath;
        SessionId = sessionId;
    }

    public ClerkOperation Operation { get; }
    public HttpMethod Method { get; }

    /// <summary>Relative to the base URL, every dynamic segment already escaped (see <see cref="ClerkPath"/>).</summary>
    public string RelativePath { get; }

    public string? SessionId { get; }
    public List<KeyValuePair<string, string>> Query { get; } = new();
    public byte[]? JsonBody { get; set; }

    /// <summary>
    /// Reads and revokes change nothing when repeated; creating a session or a token, refreshing and verifying do
    /// (or may), so they are repeated only when the request provably never reached Clerk.
    /// </summary>
    public bool IsRetrySafe => Method == HttpMethod.Get || Operation == ClerkOperation.RevokeSession;

    public int Attempts { get; set; }

    /// <summary>
    /// Secrets this call sends in its body (a refresh token, a session token): redacted from everything logged or
    /// reported about the exchange, also where Clerk's answer echoes them in free text.
    /// </summary>
    public IReadOnlyList<string> Secrets { get; set; } = Array.Empty<string>();

    public HttpRequestMessage ToHttpRequestMessage(Uri baseUrl)
    {
        var relative = RelativePath;
        if (Query.Count > 0)
        {
            relative += "?" + string.Join("&", Query.Select(pair => Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(pair.Value)));
        }

        var uri = new Uri(baseUrl, relative);
        var expectedPath = baseUrl.AbsolutePath + RelativePath;
        if (!string.Equals(uri.AbsolutePath, expectedPath, StringComparison.Ordinal))
        {
            // Defence in depth behind ClerkPath: nothing an id contains may move the request elsewhere.
            throw new ClerkInvalidArgumentException($"The request path '{RelativePath}' does not resolve under the API URL.");
        }

        var message = new HttpRequestMessage(Method, uri);
        if (JsonBody is not null)
        {
            message.Content = new ByteArrayContent(JsonBody);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        }
        else if (Method != HttpMethod.Get)
        {
            // The same "Content-Length: 0" goes out as without content, but .NET's socket handler silently sends a
            // request without content again (up to 3 times) when its connection closes before any answer. Only
            // RetryHandler may repeat what changes something, as RetryPolicy allows and counts.
            message.Content = new ByteArrayContent(Array.Empty<byte>());
        }

#pragma warning disable CS0618 // Options replaces Properties only from .NET 5 on; netstandard2.0 has Properties alone.
        message.Properties[PropertyKey] = this;
#pragma warning restore CS0618
        return message;
    }

    public static ClerkRequest? Of(HttpRequestMessage message)
    {
#pragma warning disable CS0618
        return message.Properties.TryGetValue(PropertyKey, out var value) ? value as ClerkRequest : null;
#pragma warning restore CS0618
    }

    public override string ToString() => $"{Method} {RelativePath}";
}
