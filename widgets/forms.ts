/**
 * Entry of `pathfora.forms.min.js`, the chunk of form-type widgets (form,
 * subscription, site gate): their fields, validation and submission.
 * Loaded before the first such widget opens; it renders with the Preact of
 * `pathfora.min.js` (see build.mjs).
 */
import { Form } from "./view/form";

window.pathfora!._Form = Form;
