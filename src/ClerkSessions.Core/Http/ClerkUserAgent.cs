using System.Runtime.InteropServices;
using System.Text;

namespace ClerkSessions.Core.Http;

/// <summary>For example <c>ClerkSessions/0.1.0 PowerShell/7.4.6 (Core) (Linux 6.1.0; .NET 8.0.11)</c>.</summary>
internal static class ClerkUserAgent
{
    public static string ModuleVersion { get; } =
        typeof(ClerkUserAgent).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static string Build(string? hostDescription)
    {
        var builder = new StringBuilder("ClerkSessions/").Append(ModuleVersion);
        if (!string.IsNullOrWhiteSpace(hostDescription))
        {
            builder.Append(' ').Append(Clean(hostDescription!));
        }

        builder.Append(" (").Append(Clean(RuntimeInformation.OSDescription, parentheses: true))
            .Append("; ").Append(Clean(RuntimeInformation.FrameworkDescription, parentheses: true)).Append(')');
        return builder.ToString();
    }

    /// <summary>Header values may not hold control characters; OS descriptions sometimes have parentheses of their own.</summary>
    private static string Clean(string value, bool parentheses = false)
    {
        var cleaned = new string(value.Where(character => !char.IsControl(character) && character < 127).ToArray()).Trim();
        return parentheses ? cleaned.Replace('(', '[').Replace(')', ']') : cleaned;
    }
}
