function Get-SlaWatchTokenCachePath {
    <#
        .SYNOPSIS
        Where the DPAPI-protected token cache lives: next to the credential file (scanner.credential.tokens.xml).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$CredentialPath
    )

    [System.IO.Path]::ChangeExtension($CredentialPath, $null) + '.tokens.xml'
}
