using System.Management.Automation;
using System.Net;
using System.Security;
using ClerkSessions.Connections;
using ClerkSessions.Core;
using ClerkSessions.Operations;
using ClerkSessions.TestServer;
using ClerkSessions.Tests.Core;

namespace ClerkSessions.Tests.Operations;

/// <summary>Connect-Clerk, the connection from $env:CLERK_SECRET_KEY, and Disconnect-Clerk.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public void Connecting_keeps_one_client_and_shows_only_the_masked_key()
    {
        using var host = new RecordingHost();
        var store = new ConnectionStore();

        var connection = ConnectOperation.Connect(host, store, Secure("sk_live_abcdefgh5678wxyz"), new Uri("https://clerk.internal.example/v1"), options =>
        {
            options.ApiVersion = "2025-11-10";
            options.AttemptTimeout = TimeSpan.FromSeconds(12);
            options.MaxRetries = 2;
        }, handedOut: false);

        Assert.Same(connection, store.Current);
        Assert.Same(connection, store.GetOrConnect(host));
        Assert.Equal(ClerkEnvironment.Production, connection.Environment);
        Assert.Equal("sk_live_\u2026wxyz", connection.MaskedSecretKey);
        Assert.Equal(new Uri("https://clerk.internal.example/v1/"), connection.ApiUrl);
        Assert.Equal("2025-11-10", connection.ApiVersion);
        Assert.Equal(12, connection.TimeoutSec);
        Assert.Equal(2, connection.MaxRetries);
        Assert.Equal("Connect-Clerk", connection.Source);
        var shown = connection.ToString() + string.Join("|", typeof(ClerkConnection).GetProperties().Select(property => property.GetValue(connection)));
        Assert.DoesNotContain("abcdefgh5678", shown, StringComparison.Ordinal);
        store.Disconnect();
    }

    [Theory]
    [InlineData("pk_test_abcdefgh12345678")]
    [InlineData("sk_test_short")]
    [InlineData("sk_test_has space inside1234")]
    public void A_malformed_key_is_a_terminating_error_that_does_not_repeat_it(string key)
    {
        using var host = new RecordingHost();
        var store = new ConnectionStore();

        var stop = Assert.Throws<CommandTerminatingException>(() => ConnectOperation.Connect(host, store, Secure(key), apiUrl: null, configure: null, handedOut: false));

        Assert.Equal("ClerkSecretKeyInvalid", stop.Error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, stop.Error.Category);
        Assert.DoesNotContain(key, stop.Error.Details, StringComparison.Ordinal);
        Assert.Null(store.Current);
    }

    [Fact]
    public void Without_a_key_or_the_environment_variable_the_error_says_what_to_do()
    {
        using var host = new RecordingHost();
        var store = new ConnectionStore();

        var stop = Assert.Throws<CommandTerminatingException>(() => store.GetOrConnect(host));

        Assert.Equal("ClerkNotConnected", stop.Error.ErrorId);
        Assert.Contains("Connect-Clerk", stop.Error.Details, StringComparison.Ordinal);
        Assert.Contains("$env:CLERK_SECRET_KEY", stop.Error.Details, StringComparison.Ordinal);
        Assert.Null(store.Current);
    }

    [Fact]
    public async Task The_first_command_connects_from_the_environment_variables()
    {
        await using var server = await RecordedResponseServer.StartAsync(Harness.RecordingsDirectory);
        using var host = new RecordingHost();
        host.EnvironmentVariables[ConnectionStore.SecretKeyVariable] = Harness.SecretKey;
        host.EnvironmentVariables[ConnectionStore.ApiUrlVariable] = server.BaseUrl.ToString();
        var store = new ConnectionStore();

        var connection = store.GetOrConnect(host);
        using (var get = new GetSessionOperation(host, connection))
        {
            get.GetById(new[] { Harness.ActiveSession });
            get.WaitAll();
        }

        Assert.Equal("$env:CLERK_SECRET_KEY", connection.Source);
        Assert.Equal(server.BaseUrl, connection.ApiUrl);
        Assert.Single(host.Objects);
        Assert.Equal("Bearer " + Harness.SecretKey, Assert.Single(server.Requests).Headers["Authorization"]);
        Assert.Contains(host.Verbose, line => line.Contains("sk_test_\u2026wxyz", StringComparison.Ordinal));
        store.Disconnect();
    }

    [Fact]
    public void A_malformed_key_in_the_environment_names_the_variable()
    {
        using var host = new RecordingHost();
        host.EnvironmentVariables[ConnectionStore.SecretKeyVariable] = "not-a-key";

        var stop = Assert.Throws<CommandTerminatingException>(() => new ConnectionStore().GetOrConnect(host));

        Assert.Equal("ClerkSecretKeyInvalid", stop.Error.ErrorId);
        Assert.Contains("$env:CLERK_SECRET_KEY", stop.Error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_http_url_off_loopback_is_refused_before_the_key_travels()
    {
        using var host = new RecordingHost();
        var store = new ConnectionStore();

        var stop = Assert.Throws<CommandTerminatingException>(() =>
            ConnectOperation.Connect(host, store, Secure(Harness.SecretKey), new Uri("http://clerk.example.com/v1/"), configure: null, handedOut: false));

        Assert.Equal("ClerkConnectionSettingsInvalid", stop.Error.ErrorId);
        Assert.Null(store.Current);
    }

    [Fact]
    public void Connect_without_a_key_parameter_uses_the_environment_and_the_parameter_url_wins()
    {
        using var host = new RecordingHost();
        host.EnvironmentVariables[ConnectionStore.SecretKeyVariable] = Harness.SecretKey;
        host.EnvironmentVariables[ConnectionStore.ApiUrlVariable] = "https://env.example/v1/";
        var store = new ConnectionStore();

        var connection = ConnectOperation.Connect(host, store, secretKey: null, new Uri("https://param.example/v1/"), configure: null, handedOut: false);

        Assert.Equal("$env:CLERK_SECRET_KEY", connection.Source);
        Assert.Equal(new Uri("https://param.example/v1/"), connection.ApiUrl);
        store.Disconnect();
    }

    [Fact]
    public async Task Disconnect_forgets_the_connection_and_disposes_its_client()
    {
        await using var harness = await CommandHarness.StartAsync();
        var connection = harness.Connection;

        DisconnectOperation.Disconnect(harness.Host, harness.Store, connection: null, passThru: true);
        DisconnectOperation.Disconnect(harness.Host, harness.Store, connection: null, passThru: true);

        Assert.Same(connection, Assert.Single(harness.Host.Objects));
        Assert.Equal("sk_test_\u2026wxyz", connection.MaskedSecretKey);
        Assert.Contains("Not connected to Clerk.", harness.Host.Verbose);
        Assert.Null(harness.Store.Current);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => connection.Client.GetSessionAsync(Harness.ActiveSession));
    }

    [Fact]
    public async Task Connecting_again_replaces_and_disposes_the_previous_connection()
    {
        await using var harness = await CommandHarness.StartAsync();
        var first = harness.Connection;

        var second = ConnectOperation.Connect(harness.Host, harness.Store, Secure(Harness.SecretKey), harness.Server.BaseUrl, configure: null, handedOut: false);

        Assert.Same(second, harness.Store.Current);
        Assert.True(first.IsClosed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.Client.GetSessionAsync(Harness.ActiveSession));
    }

    [Fact]
    public async Task A_connection_handed_out_with_PassThru_stays_open_when_another_becomes_current()
    {
        await using var harness = await CommandHarness.StartAsync();
        var handedOut = ConnectOperation.Connect(harness.Host, harness.Store, Secure(Harness.SecretKey), harness.Server.BaseUrl, configure: null, handedOut: true);

        var next = ConnectOperation.Connect(harness.Host, harness.Store, Secure(Harness.SecretKey), harness.Server.BaseUrl, configure: null, handedOut: false);

        Assert.Same(next, harness.Store.Current);
        Assert.False(handedOut.IsClosed);
        Assert.Equal(Harness.ActiveSession, (await handedOut.Client.GetSessionAsync(Harness.ActiveSession)).Id);
        handedOut.Dispose();
    }

    [Fact]
    public async Task Disconnecting_a_given_connection_closes_it_and_leaves_the_current_one()
    {
        await using var harness = await CommandHarness.StartAsync();
        var other = ClerkConnection.Open(ClerkSecretKey.FromPlainText(Harness.SecretKey), "test", ConnectionStore.OptionsFromEnvironment(harness.Host, harness.Server.BaseUrl));

        DisconnectOperation.Disconnect(harness.Host, harness.Store, other, passThru: true);
        DisconnectOperation.Disconnect(harness.Host, harness.Store, other, passThru: true);

        Assert.True(other.IsClosed);
        Assert.Same(other, Assert.Single(harness.Host.Objects));
        Assert.Contains("That connection was already closed.", harness.Host.Verbose);
        Assert.Same(harness.Connection, harness.Store.Current);
        Assert.False(harness.Connection.IsClosed);
    }

    private static SecureString Secure(string text) => new NetworkCredential("", text).SecurePassword;
}
