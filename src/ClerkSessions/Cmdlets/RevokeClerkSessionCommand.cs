using System.Management.Automation;
using ClerkSessions.Commands;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Cmdlets;

/// <summary>Revokes sessions: by id, or the sessions Get-ClerkSession sends down the pipeline.</summary>
[Cmdlet(VerbsSecurity.Revoke, "ClerkSession", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ClerkSession))]
public sealed class RevokeClerkSessionCommand : ClerkCmdlet
{
    public const string ByIdSet = "ById";
    public const string ByInputObjectSet = "ByInputObject";
    private RevokeSessionOperation? _operation;

    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    /// <summary>Sessions from Get-ClerkSession: finished ones are skipped, and the confirmation names their user.</summary>
    [Parameter(ParameterSetName = ByInputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClerkSession[] InputObject { get; set; } = Array.Empty<ClerkSession>();

    /// <summary>Revokes without asking for confirmation (-WhatIf still sends nothing).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Begin()
    {
        _operation = Own(new RevokeSessionOperation(this, Connection(), Force.IsPresent));
        if (!MyInvocation.ExpectingInput)
        {
            _operation.ExpectedTotal = ParameterSetName == ByIdSet ? SessionId.Length : InputObject.Length;
        }
    }

    protected override void Process()
    {
        if (ParameterSetName == ByIdSet)
        {
            _operation!.Process(SessionId);
        }
        else
        {
            _operation!.Process(InputObject);
        }
    }

    protected override void End() => _operation!.Complete();
}
