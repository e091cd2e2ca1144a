using ClerkSessions.Core.Models;

namespace ClerkSessions.Tests.Core;

/// <summary>Which way the Core assembly's namespaces may depend on each other, read from its compiled metadata.</summary>
public sealed class LayeringTests
{
    private const string Models = "ClerkSessions.Core.Models";
    private const string Tokens = "ClerkSessions.Core.Tokens";

    private static readonly Dictionary<string, SortedSet<string>> Uses = TypeReferences.Of(typeof(ClerkSession).Assembly);

    [Fact]
    public void Models_are_plain_data_that_use_nothing_of_token_verification()
    {
        var offending = Crossings(Models, Tokens);

        Assert.True(offending.Count == 0, "Models must not use Tokens (Tokens reads Models): " + string.Join("; ", offending));
    }

    [Fact]
    public void Tokens_read_models_so_the_check_above_sees_references_of_this_kind()
    {
        // The JWKS model feeds the key source, and the reader makes the token the cmdlets hand out.
        Assert.Contains(Tokens + ".JwksKeySource → " + Models + ".JsonWebKeySet", Crossings(Tokens, Models));
        Assert.Contains(Tokens + ".ClerkSessionTokenReader → " + Models + ".ClerkSessionToken", Crossings(Tokens, Models));
    }

    private static List<string> Crossings(string from, string to) =>
        Uses.Where(type => TypeReferences.NamespaceOf(type.Key) == from)
            .SelectMany(type => type.Value.Where(used => TypeReferences.NamespaceOf(used) == to).Select(used => type.Key + " → " + used))
            .ToList();
}
