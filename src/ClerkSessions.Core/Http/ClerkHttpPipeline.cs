using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace ClerkSessions.Core.Http;

/// <summary>
/// One HttpClient per connection, built by IHttpClientFactory with the handler chain
/// retry (through the connection's one <see cref="RateGate"/>) → authentication → logging → socket handler. The service provider is private to the connection,
/// so nothing here is shared with other modules in the same process.
/// </summary>
internal sealed class ClerkHttpPipeline : IDisposable
{
    private const string ClientName = "ClerkSessions";
    private readonly ServiceProvider _services;

    public ClerkHttpPipeline(ClerkSecretKey secretKey, ClerkClientOptions options, Uri baseUrl)
    {
        Gate = new RateGate(ClerkRateLimit.From(options, secretKey.Environment), options.Delay);
        var services = new ServiceCollection();
        var builder = services
            .AddHttpClient(ClientName, client =>
            {
                client.BaseAddress = baseUrl;

                // Time is bounded per attempt and per call by RetryHandler; a client-wide timeout would cut retries short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                client.DefaultRequestHeaders.TryAddWithoutValidation("Clerk-API-Version", options.ApiVersion);
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", ClerkUserAgent.Build(options.HostDescription));
            })
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // LoggingHandler reports every attempt; the factory's own loggers would only cost time on each request.
            .RemoveAllLoggers()
            .AddHttpMessageHandler(() => new RetryHandler(options, Gate))
            .AddHttpMessageHandler(() => new AuthenticationHandler(secretKey));
        if (options.Log is not null)
        {
            builder.AddHttpMessageHandler(() => new LoggingHandler(options.Log));
        }

        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
    }

    public HttpClient Client { get; }

    public RateGate Gate { get; }

    public void Dispose()
    {
        Client.Dispose();
        _services.Dispose();
        Gate.Dispose();
    }
}
