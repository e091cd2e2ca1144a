using System.Runtime.InteropServices;
using System.Security;

namespace ClerkSessions.Core;

/// <summary>The two ways text crosses a <see cref="SecureString"/>: in, read-only; and out, for one use only.</summary>
internal static class SecureText
{
    public static SecureString From(string text)
    {
        var secure = new SecureString();
        foreach (var character in text)
        {
            secure.AppendChar(character);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Gives the text of <paramref name="secret"/> to <paramref name="use"/>, zeroing the unmanaged copy afterwards.</summary>
    public static T Reveal<T>(SecureString secret, Func<string, T> use)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            return use(Marshal.PtrToStringUni(pointer, secret.Length));
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
