using System.Globalization;
using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// <c>Test-ClerkSessionToken</c>: verifies session tokens locally, never calling the session endpoints. The keys
/// come from <c>-JwtKey</c> or <c>$env:CLERK_JWT_KEY</c> (no network at all), else from the connection's cached
/// JSON Web Key Set.
/// </summary>
public sealed class VerifySessionTokenOperation : Operation
{
    public const string JwtKeyVariable = "CLERK_JWT_KEY";
    private readonly IJwtKeySource _keys;

    private VerifySessionTokenOperation(ICommandHost host, IJwtKeySource keys)
        : base(host) => _keys = keys;

    /// <param name="jwtKey">The PEM public key given as <c>-JwtKey</c>; null to fall back to the environment, then the connection.</param>
    /// <param name="connect">The connection, asked for only when no PEM key is at hand.</param>
    public static VerifySessionTokenOperation Create(ICommandHost host, string? jwtKey, Func<ClerkConnection> connect)
    {
        var source = jwtKey is null ? "$env:" + JwtKeyVariable : "-JwtKey";
        var pem = jwtKey ?? host.GetEnvironmentVariable(JwtKeyVariable);
        // An empty variable counts as unset; a key given as a parameter is always used (and refused if blank).
        if (jwtKey is null && string.IsNullOrWhiteSpace(pem))
        {
            var connection = connect();
            host.WriteVerbose($"Verifying against the signing keys of {connection.ApiUrl} (GET /jwks, cached per connection).");
            return new VerifySessionTokenOperation(host, connection.SigningKeys);
        }

        PemJwtKeySource keys;
        try
        {
            keys = new PemJwtKeySource(pem!);
        }
        catch (ClerkInvalidArgumentException exception)
        {
            throw new CommandTerminatingException(new CommandError(exception, "ClerkJwtKeyInvalid", ErrorCategory.InvalidArgument, source)
            {
                Details = $"{source} is not usable: {exception.Message}",
                RecommendedAction = "Copy the PEM public key from the Clerk Dashboard (API keys, Show JWT public key), or leave it out to use the instance's keys from GET /jwks.",
            });
        }

        host.WriteVerbose($"Verifying offline against the PEM public key from {source} ({keys.Key}).");
        return new VerifySessionTokenOperation(host, keys);
    }

    public void Test(SessionTokenTest test)
    {
        SessionTokenVerificationOptions options;
        try
        {
            options = new SessionTokenVerificationOptions
            {
                SessionId = test.SessionId,
                AuthorizedParties = test.AuthorizedParties,
                ClockSkew = test.ClockSkew,
            };
        }
        catch (ClerkInvalidArgumentException exception)
        {
            throw InvalidParameters(exception.Message);
        }

        // Only a failure to get the keys throws: that is no answer about the token, so nothing is written for it.
        StartWork(cancellationToken => SessionTokenVerifier.VerifyAsync(test.Token, options, _keys, cancellationToken), test.SessionId, verification =>
        {
            Host.WriteVerbose(verification.IsValid
                ? string.Format(CultureInfo.InvariantCulture, "The session token of {0} (user {1}) is valid until {2:u}.", verification.SessionId, verification.UserId, verification.ExpiresAt)
                : $"The session token is not valid ({verification.FailureReason}): {verification.Message}");
            Host.WriteObject(test.Detailed ? verification : verification.IsValid);
        });
        WaitAll();
    }
}
