function Move-SlaWatchDeadLetter {
    <#
        .SYNOPSIS
        Moves a body the API rejected (a final 4xx) to the dead-letter folder, with the response beside it.

        .DESCRIPTION
        Sending it again cannot succeed, so it leaves the spool; it is kept for a human, with
        <name>.response.txt holding the status code and response body, which is also logged (truncated).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [string]$Name,

        # The spool file to move; when empty, Bytes are written instead (a body that never reached the spool).
        [string]$SourcePath,

        [byte[]]$Bytes,

        [int]$StatusCode,

        [AllowNull()]
        [string]$Content
    )

    $directory = $Settings.DeadLetterDirectory
    if (-not (Test-Path -LiteralPath $directory -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $directory -Force -ErrorAction Stop
    }
    $destination = [System.IO.Path]::Combine($directory, $Name)
    if ($SourcePath) {
        Move-Item -LiteralPath $SourcePath -Destination $destination -Force -ErrorAction Stop
    }
    else {
        [System.IO.File]::WriteAllBytes($destination, $Bytes)
    }
    $text = 'HTTP {0}{1}{2}' -f $StatusCode, [Environment]::NewLine, $Content
    [System.IO.File]::WriteAllText("$destination.response.txt", $text, $script:Utf8NoBom)

    $excerpt = [string]$Content
    if ($excerpt.Length -gt 2000) { $excerpt = $excerpt.Substring(0, 2000) + '...' }
    Write-SlaWatchLog -Level Error -Message ("the API rejected '{0}' with HTTP {1}; moved to the dead-letter folder '{2}'. Response body: {3}" -f `
            $Name, $StatusCode, $destination, $excerpt)
    $destination
}
