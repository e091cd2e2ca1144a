using System.Net.Http.Headers;

namespace ClerkSessions.Core.Http;

/// <summary>Adds the secret key to each attempt, reading it from its protected store only then.</summary>
internal sealed class AuthenticationHandler : DelegatingHandler
{
    private readonly ClerkSecretKey _secretKey;

    public AuthenticationHandler(ClerkSecretKey secretKey) => _secretKey = secretKey;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _secretKey.Use(key => new AuthenticationHeaderValue("Bearer", key));
        return base.SendAsync(request, cancellationToken);
    }
}
