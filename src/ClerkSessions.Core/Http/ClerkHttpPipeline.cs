using System.Net;
using System.Net.Http.Headers;
using ClerkSessions.Isolated;

namespace ClerkSessions.Core.Http;

/// <summary>
/// One HttpClient per connection, built by IHttpClientFactory (<see cref="FactoryHttpClient"/>) with the handler chain
/// retry (through the connection's one <see cref="RateGate"/>) → authentication → logging → socket handler. The service
/// provider is private to the connection, so nothing here is shared with other modules in the same process.
/// </summary>
internal sealed class ClerkHttpPipeline : IDisposable
{
    private readonly FactoryHttpClient _factoryClient;

    public ClerkHttpPipeline(ClerkSecretKey secretKey, ClerkClientOptions options, Uri baseUrl)
    {
        Gate = new RateGate(ClerkRateLimit.From(options, secretKey.Environment), options.Delay);
        var handlers = new List<Func<DelegatingHandler>>
        {
            () => new RetryHandler(options, Gate),
            () => new AuthenticationHandler(secretKey),
        };
        if (options.Log is not null)
        {
            handlers.Add(() => new LoggingHandler(options.Log));
        }

        _factoryClient = new FactoryHttpClient(
            client =>
            {
                client.BaseAddress = baseUrl;

                // Time is bounded per attempt and per call by RetryHandler; a client-wide timeout would cut retries short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.TryAddWithoutValidation("Clerk-API-Version", options.ApiVersion);
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", ClerkUserAgent.Build(options.HostDescription));
            },
            () => new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            },
            handlers);
    }

    public HttpClient Client => _factoryClient.Client;

    public RateGate Gate { get; }

    public void Dispose()
    {
        _factoryClient.Dispose();
        Gate.Dispose();
    }
}
