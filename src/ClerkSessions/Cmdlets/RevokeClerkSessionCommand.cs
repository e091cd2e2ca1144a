using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Revokes sessions: by id, or whatever the pipeline sends (sessions, ids, rows with an Id).</summary>
[Cmdlet(VerbsSecurity.Revoke, "ClerkSession", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ClerkSession))]
public sealed class RevokeClerkSessionCommand : ClerkApiCmdlet
{
    public const string ByIdSet = "ById";
    public const string ByInputObjectSet = "ByInputObject";
    private RevokeSessionOperation? _operation;

    [Parameter(ParameterSetName = ByIdSet, Mandatory = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Everything piped in, or given by position, binds here, so the engine never has to choose between sets and
    /// never turns a session into text: the session (or id, or row) is read by <see cref="SessionInput"/>, which
    /// keeps the status and user when the input has them.
    /// </summary>
    [Parameter(ParameterSetName = ByInputObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public PSObject?[] InputObject { get; set; } = Array.Empty<PSObject?>();

    /// <summary>Revokes without asking for confirmation (-WhatIf still sends nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How many revokes are in flight at once; the connection's rate limit paces them.</summary>
    [Parameter]
    [ValidateRange(1, CallsInFlight.MaxLimit)]
    public int ThrottleLimit { get; set; } = CallsInFlight.DefaultLimit;

    protected override void Begin()
    {
        _operation = Own(new RevokeSessionOperation(this, ResolveConnection(), Force.IsPresent, ThrottleLimit));
        if (!MyInvocation.ExpectingInput)
        {
            _operation.ExpectedTotal = ParameterSetName == ByIdSet ? SessionId.Length : InputObject?.Length ?? 1;
        }
    }

    protected override void Process() =>
        _operation!.Process(ParameterSetName == ByIdSet
            ? SessionId.Select(id => new SessionReference(id))
            : (InputObject ?? new PSObject?[1]).Select(SessionInput.Read));

    protected override void End() => _operation!.Complete();
}
