function Get-SlaWatchTokenCachePath {
    <#
        .SYNOPSIS
        Where the token cache lives: on Windows next to the credential file (scanner.credential.tokens.xml,
        DPAPI-protected); elsewhere a 0600 file in the spool folder, where the Python scanner keeps its own.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', 'CredentialPath',
        Justification = 'The path of the credential file, not a password')]
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$CredentialPath,

        # Used off Windows, where there is no credential file.
        [string]$SpoolDirectory
    )

    if ((-not $script:IsWindowsPlatform) -and $SpoolDirectory) {
        # Not *.json: everything *.json in the spool folder is a report waiting to be sent.
        return [System.IO.Path]::Combine($SpoolDirectory, 'token-cache.ps.dat')
    }
    # Not ChangeExtension($CredentialPath, $null): PowerShell passes $null to a .NET string parameter as '', and
    # ChangeExtension('x.xml', '') keeps the dot ('x.' + '.tokens.xml' would give 'x..tokens.xml').
    $extension = [System.IO.Path]::GetExtension($CredentialPath)
    $CredentialPath.Substring(0, $CredentialPath.Length - $extension.Length) + '.tokens.xml'
}
