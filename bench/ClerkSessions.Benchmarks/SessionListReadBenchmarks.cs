using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ClerkSessions.Core.Json;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Benchmarks;

/// <summary>
/// Reading one page of <c>GET /sessions</c> (<c>{data, total_count}</c>) through the client's source-generated
/// context, as ClerkSessionsClient does for every page. 100 is Get-ClerkSession's default page size, 500 Clerk's maximum.
/// </summary>
[MemoryDiagnoser]
public class SessionListReadBenchmarks
{
    private byte[] _paginated = Array.Empty<byte>();
    private byte[] _bareArray = Array.Empty<byte>();

    [Params(100, 500)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _paginated = SessionListJson.Paginated(Sessions);
        _bareArray = SessionListJson.Paginated(Sessions, paginated: false);
        var page = JsonSerializer.Deserialize(_paginated, ClerkJsonContext.Default.PaginatedSessionList);
        if (page?.Data?.Count != Sessions || page.TotalCount != Sessions || page.Data[0].LatestActivity is null || page.Data[0].AdditionalFields is not null)
        {
            throw new InvalidOperationException("The generated page does not read back as the client reads Clerk's pages.");
        }

        Console.WriteLine($"// page of {Sessions} sessions: {_paginated.Length:N0} bytes of JSON");
    }

    [Benchmark(Baseline = true, Description = "Paginated page, source-generated")]
    public object? Paginated() => JsonSerializer.Deserialize(_paginated, ClerkJsonContext.Default.PaginatedSessionList);

    [Benchmark(Description = "Bare array page, source-generated")]
    public List<ClerkSession>? BareArray() => JsonSerializer.Deserialize(_bareArray, ClerkJsonContext.Default.ListClerkSession);

    /// <summary>The floor: tokenizing the same bytes without building any object.</summary>
    [Benchmark(Description = "Tokenize only (Utf8JsonReader)")]
    public int TokenizeOnly()
    {
        var reader = new Utf8JsonReader(_paginated);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
