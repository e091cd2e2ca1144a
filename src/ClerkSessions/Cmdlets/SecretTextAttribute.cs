using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

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
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is SecureString secure ? Reveal(secure) : inputData;

    private static string Reveal(SecureString secure)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            return Marshal.PtrToStringUni(pointer, secure.Length);
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
