using System.Management.Automation;
using ClerkSessions.Core;
using ClerkSessions.Operations;

namespace ClerkSessions.Tests.Operations;

/// <summary>The one rule for failures: what the user can fix is an error; a bug propagates as the bug it is.</summary>
public sealed class OperationFailureTests
{
    [Fact]
    public void An_ArgumentNullException_from_the_work_is_a_bug_not_the_users_invalid_argument()
    {
        using var host = new RecordingHost();
        using var operation = new FailingOperation(host, () => throw new ArgumentNullException("value"));

        operation.Run("sess_1");

        Assert.Throws<ArgumentNullException>(operation.WaitAll);
        Assert.Empty(host.Errors);
    }

    [Fact]
    public void A_value_Clerk_would_not_accept_is_written_as_an_invalid_argument_and_the_command_goes_on()
    {
        using var host = new RecordingHost();
        using var operation = new FailingOperation(host, () => throw new ClerkInvalidArgumentException("The session id contains a control character.", "sessionId"));

        operation.Run("sess_1");
        operation.WaitAll();

        var error = Assert.Single(host.Errors);
        Assert.Equal("ClerkInvalidArgument", error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("control character", error.Details, StringComparison.Ordinal);
    }

    private sealed class FailingOperation : Operation
    {
        private readonly Func<int> _work;

        public FailingOperation(ICommandHost host, Func<int> work)
            : base(host) => _work = work;

        public void Run(string target) => StartWork(_ => Task.Run(_work), target, _ => { });
    }
}
