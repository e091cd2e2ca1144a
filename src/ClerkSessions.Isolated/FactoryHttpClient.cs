using Microsoft.Extensions.DependencyInjection;

namespace ClerkSessions.Isolated;

/// <summary>
/// An HttpClient built by IHttpClientFactory from a service provider of its own (nothing is shared with other modules),
/// with the handler chain given outermost first, no factory loggers and no handler rotation.
/// </summary>
internal sealed class FactoryHttpClient : IDisposable
{
    private const string ClientName = "ClerkSessions";
    private readonly ServiceProvider _services;

    public FactoryHttpClient(Action<HttpClient> configure, Func<HttpMessageHandler> primaryHandler, IEnumerable<Func<DelegatingHandler>> handlers)
    {
        var services = new ServiceCollection();
        var builder = services
            .AddHttpClient(ClientName, configure)
            .ConfigurePrimaryHttpMessageHandler(primaryHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The caller's handlers report every attempt; the factory's own loggers would only cost time on each request.
            .RemoveAllLoggers();
        foreach (var handler in handlers)
        {
            builder.AddHttpMessageHandler(handler);
        }

        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
    }

    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        _services.Dispose();
    }
}
