/**
 * Passkeys on managed-login pages: the form that runs a WebAuthn ceremony in the browser (signing
 * in with a passkey, adding one at `/passkeys/add`), and the small script that runs it with
 * `navigator.credentials` and posts the result as JSON (AuthenticationResponseJSON or
 * RegistrationResponseJSON, base64url members, as the API takes them). Without JavaScript the page
 * says what to do instead.
 */
import { html, type SafeHtml } from "./html.js";

/**
 * On submit of a `form[data-passkey]`: the ceremony its `data-options` describe (`get` or
 * `create`), its result in the form's `credential` field, then the form is sent. A failure or a
 * cancel shows the form's `[data-passkey-error]` line and leaves the form as it was.
 */
export const PASSKEY_SCRIPT = `(function(){
var form=document.querySelector('form[data-passkey]');if(!form)return;
function enc(b){var s='',a=new Uint8Array(b);for(var i=0;i<a.length;i++)s+=String.fromCharCode(a[i]);return btoa(s).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'');}
function dec(t){var s=atob(t.replace(/-/g,'+').replace(/_/g,'/'));var a=new Uint8Array(s.length);for(var i=0;i<s.length;i++)a[i]=s.charCodeAt(i);return a.buffer;}
function ids(list){return (list||[]).map(function(c){return Object.assign({},c,{id:dec(c.id)});});}
var o=JSON.parse(form.getAttribute('data-options'));var create=form.getAttribute('data-passkey')==='create';
function ceremony(){
if(create){var u=Object.assign({},o.user,{id:dec(o.user.id)});
return navigator.credentials.create({publicKey:Object.assign({},o,{challenge:dec(o.challenge),user:u,excludeCredentials:ids(o.excludeCredentials)})});}
return navigator.credentials.get({publicKey:Object.assign({},o,{challenge:dec(o.challenge),allowCredentials:ids(o.allowCredentials)})});}
function json(c){var r=c.response,out={id:c.id,rawId:enc(c.rawId),type:c.type,clientExtensionResults:c.getClientExtensionResults(),authenticatorAttachment:c.authenticatorAttachment||undefined,response:{clientDataJSON:enc(r.clientDataJSON)}};
if(create){out.response.attestationObject=enc(r.attestationObject);out.response.transports=r.getTransports?r.getTransports():[];}
else{out.response.authenticatorData=enc(r.authenticatorData);out.response.signature=enc(r.signature);if(r.userHandle)out.response.userHandle=enc(r.userHandle);}
return JSON.stringify(out);}
var error=form.querySelector('[data-passkey-error]');
form.addEventListener('submit',function(e){
if(form.elements.credential.value)return;e.preventDefault();if(error)error.hidden=true;
ceremony().then(function(c){form.elements.credential.value=json(c);form.submit();},function(){if(error)error.hidden=false;});});
})();`;

export interface PasskeyForm {
  action: string;
  /** `get`: sign in with a passkey; `create`: add one. */
  ceremony: "get" | "create";
  /** The WebAuthn options as the API gives them (JSON with base64url members). */
  options: string;
  /** The form's other fields (CSRF token, the challenge's Session, …). */
  hidden: SafeHtml;
  submit: string;
}

/**
 * The ceremony's form: its options for the script, the field the script fills, a line for a
 * cancelled or failed ceremony, and what to do without JavaScript.
 */
export function passkeyForm(form: PasskeyForm): SafeHtml {
  return html`<form action="${form.action}" name="passkeyForm" method="post" data-passkey="${form.ceremony}" data-options="${form.options}">${form.hidden}<input type="hidden" name="credential" value=""/><p class="errorMessage-customizable" role="alert" data-passkey-error hidden>The passkey was not used: the request was cancelled or timed out. Try again.</p><noscript><p class="infoMessage">Passkeys need JavaScript, which is turned off in this browser. Turn it on and reload the page, or use your password instead.</p></noscript><input name="passkeySubmitButton" type="submit" value="${form.submit}" class="btn btn-primary submitButton-customizable"></form>`;
}
