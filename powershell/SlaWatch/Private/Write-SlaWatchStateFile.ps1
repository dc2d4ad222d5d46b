function Write-SlaWatchStateFile {
    <#
        .SYNOPSIS
        Writes a heartbeat file (scan state, kept-back scan) atomically: 0600 off Windows, the folder's ACL on Windows.

        .DESCRIPTION
        Off Windows through Write-SlaWatchPrivateFile (created 0600, renamed over the target). On Windows a
        temporary file renamed over the target, as the spool does: the file inherits the ACL of the SlaWatch
        data folder, which only the task's account and administrators can read.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        [Parameter(Mandatory = $true)]
        [byte[]]$Bytes
    )

    if (-not $script:IsWindowsPlatform) { return Write-SlaWatchPrivateFile -Path $Path -Bytes $Bytes }
    $directory = Split-Path -Path $Path -Parent
    if (-not (Test-Path -LiteralPath $directory -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $directory -Force -ErrorAction Stop
    }
    $temporary = '{0}.{1}.tmp' -f $Path, [Guid]::NewGuid().ToString('N')
    [System.IO.File]::WriteAllBytes($temporary, $Bytes)
    Move-Item -LiteralPath $temporary -Destination $Path -Force -ErrorAction Stop
}
