# Shared by the Pester files: the recorded-response server (tests/ClerkSessions.TestServer) as a child process on
# loopback, and its request log. Dot-source it in BeforeAll; tests/Invoke-PesterSuite.ps1 sets the variables it reads.

# Starts one server; several can run at once (each on its own port). Returns its URLs and what Stop needs.
function Start-RecordedServer {
    $id = [guid]::NewGuid()
    $temp = [IO.Path]::GetTempPath()
    $server = [pscustomobject]@{
        Process = $null
        BaseUrl = $null
        RootUrl = $null
        UrlFile = Join-Path $temp "clerksessions-url-$id.txt"
        Output  = Join-Path $temp "clerksessions-server-$id.log"
        Errors  = Join-Path $temp "clerksessions-server-$id.err"
    }
    $arguments = '"{0}" --recordings "{1}" --url-file "{2}"' -f $env:CLERKSESSIONS_TEST_SERVER, $env:CLERKSESSIONS_RECORDINGS, $server.UrlFile
    $server.Process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $server.Output -RedirectStandardError $server.Errors

    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not ((Test-Path -LiteralPath $server.UrlFile) -and (Get-Item -LiteralPath $server.UrlFile).Length -gt 0)) {
        if ($server.Process.HasExited) {
            throw "The recorded-response server exited: $(Get-Content -Raw -LiteralPath $server.Errors)"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-RecordedServer $server
            throw 'The recorded-response server did not start within 60 seconds.'
        }
        Start-Sleep -Milliseconds 100
    }

    $server.BaseUrl = (Get-Content -Raw -LiteralPath $server.UrlFile).Trim()
    $server.RootUrl = $server.BaseUrl -replace 'v1/$', ''
    $server
}

function Stop-RecordedServer {
    param($Server)
    if (-not $Server) { return }
    if ($Server.Process -and -not $Server.Process.HasExited) {
        Stop-Process -Id $Server.Process.Id -Force
        $Server.Process.WaitForExit()
    }
    foreach ($file in @($Server.UrlFile, $Server.Output, $Server.Errors)) {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

# The requests the server received, oldest first, optionally filtered by method and path.
function Get-RecordedRequest {
    param([Parameter(Mandatory)] $Server, [string] $Method, [string] $PathLike = '*')
    # Invoke-RestMethod writes a JSON array as one object; piping the variable sends its requests one by one.
    $requests = Invoke-RestMethod -Uri ($Server.RootUrl + '_test/requests')
    $requests | Where-Object { (-not $Method -or $_.method -eq $Method) -and $_.path -like $PathLike }
}

function Clear-RecordedRequest {
    param([Parameter(Mandatory)] $Server)
    $null = Invoke-RestMethod -Method Post -Uri ($Server.RootUrl + '_test/reset')
}

# Runs $Script with ParameterBinding traced and returns its output and the parameters of $Command that were bound
# from the pipeline, as the engine itself reports them.
function Invoke-WithBindingTrace {
    param([Parameter(Mandatory)] [scriptblock] $Script, [Parameter(Mandatory)] [string] $Command)
    $file = [IO.Path]::GetTempFileName()
    try {
        $output = @(Trace-Command -Name ParameterBinding -Expression $Script -FilePath $file)
        $bound = [System.Collections.Generic.List[string]]::new()
        $current = $null
        foreach ($line in Get-Content -LiteralPath $file) {
            if ($line -match 'BIND PIPELINE object to parameters: \[([^\]]+)\]') {
                $current = $Matches[1]
            }
            elseif ($current -eq $Command -and $line -match 'BIND arg \[.*\] to param \[(\w+)\] SUCCESSFUL') {
                if (-not $bound.Contains($Matches[1])) { $bound.Add($Matches[1]) }
            }
        }
        [pscustomobject]@{ Output = $output; PipelineBound = @($bound) }
    }
    finally {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

# What the host showed while $Script ran (What if: lines, prompts), read back from a transcript.
function Get-HostText {
    param([Parameter(Mandatory)] [scriptblock] $Script)
    $file = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-transcript-{0}.txt" -f [guid]::NewGuid())
    $null = Start-Transcript -LiteralPath $file
    try {
        $null = & $Script
    }
    finally {
        $null = Stop-Transcript
    }
    try { Get-Content -Raw -LiteralPath $file } finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
}

# Runs $Script in a new pwsh: this process's own binary (the shared tools' `pwsh` is a wrapper script that would unpack
# PowerShell again into a temporary cache), with $Environment set on top of this process's ($null removes a variable),
# $Answers typed at its prompts and its streams as text. Returns its output, error text and exit code; throws only when
# it does not end within $TimeoutSeconds.
function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string[]] $Answers = @(),
        [string] $WorkingDirectory = (Get-Location).Path,
        [int] $TimeoutSeconds = 300,
        [switch] $NonInteractive
    )
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = (Get-Process -Id $PID).Path
    $start.Arguments = '-NoProfile -OutputFormat Text ' + $(if ($NonInteractive) { '-NonInteractive ' } else { '' }) +
        '-EncodedCommand ' + [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.WorkingDirectory = $WorkingDirectory
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $start.Environment.Remove($name) } else { $start.Environment[$name] = $Environment[$name] }
    }

    $process = [Diagnostics.Process]::Start($start)
    $output = $process.StandardOutput.ReadToEndAsync()
    $errors = $process.StandardError.ReadToEndAsync()
    foreach ($answer in $Answers) { $process.StandardInput.WriteLine($answer) }
    $process.StandardInput.Close()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill()
        throw "pwsh did not finish within $TimeoutSeconds seconds: $Script"
    }
    $process.WaitForExit()
    [pscustomobject]@{ Output = $output.Result; Errors = $errors.Result; ExitCode = $process.ExitCode }
}
