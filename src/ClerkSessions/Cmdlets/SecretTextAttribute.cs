using System.Management.Automation;
using System.Security;
using ClerkSessions.Core;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Lets a string parameter that carries a secret (a token) also take a SecureString, e.g. the Token property of
/// New-ClerkSessionToken's output. Without it PowerShell would turn the SecureString into the text
/// "System.Security.SecureString" and send that.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecretTextAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is SecureString secure ? SecureText.Reveal(secure, text => text) : inputData;
}
