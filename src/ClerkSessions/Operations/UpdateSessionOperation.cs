using System.Collections;
using System.Globalization;
using ClerkSessions.Connections;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Operations;

/// <summary><c>Update-ClerkSession</c>: refresh a session, giving a new token (or cookies with -Format Cookie).</summary>
public sealed class UpdateSessionOperation : ApiOperation
{
    public UpdateSessionOperation(ICommandHost host, ClerkConnection connection)
        : base(host, connection)
    {
    }

    public void Refresh(string sessionId, SessionRefreshRequest request)
    {
        if (!Host.ShouldProcess($"Clerk session {sessionId}", "Refresh"))
        {
            return;
        }

        StartAndWait((client, cancellationToken) => client.RefreshSessionAsync(sessionId, request, cancellationToken), sessionId, result =>
            Host.WriteObject(result.Token is ClerkToken token ? ClerkSessionTokenReader.FromJwt(sessionId, templateName: null, token.Jwt) : result.Cookies!));
    }

    /// <summary>
    /// A hashtable such as <c>@{ 'User-Agent' = 'x'; Accept = 'a','b' }</c> as header lists; null stays null.
    /// Values may be single values or arrays; each becomes text.
    /// </summary>
    public static IDictionary<string, string[]>? ToHeaders(IDictionary? headers)
    {
        if (headers is null)
        {
            return null;
        }

        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in headers)
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw InvalidParameters("-RequestHeaders has an entry without a header name.");
            }

            result[name!] = entry.Value switch
            {
                null => Array.Empty<string>(),
                string text => new[] { text },
                IEnumerable values => values.Cast<object?>().Select(value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").ToArray(),
                var value => new[] { Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" },
            };
        }

        return result;
    }
}
