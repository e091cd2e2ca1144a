namespace ClerkSessions.Runspaces;

/// <summary>Something a runspace holds for itself and gives up when it ends, is reset or removes the module.</summary>
internal interface IRunspaceResource
{
    /// <summary>Releases what the runspace owns; what it handed out to others stays theirs.</summary>
    void Abandon();
}
